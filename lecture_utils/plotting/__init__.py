"""Drawing helpers: ``plot_*(..., ax=None) -> Axes``; they never call ``plt.show``.

One module per concept (e.g. ``decision``, ``approximation``); import from the module.
"""
