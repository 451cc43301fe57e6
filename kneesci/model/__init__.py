"""The model: data files in; posterior, red-flag concerns and intervals out.

numpy and YAML only; nothing here imports from the course, the views or the widgets.
"""
