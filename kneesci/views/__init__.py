"""Pictures and their text twins: the only layer below the widgets that imports matplotlib."""
