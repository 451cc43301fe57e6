"""What the course teaches with: cases, the game, exercises, progress, anatomy data, management.

Builds on the model; draws nothing (no matplotlib, no ipywidgets).
"""
