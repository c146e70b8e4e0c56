"""surgeplan: support capacity forecasting and staffing planning for ecommerce support teams.

The application layer: :mod:`surgeplan.config` (the TOML plan config),
:mod:`surgeplan.pipeline` (:func:`~surgeplan.pipeline.run_plan`, every stage),
:mod:`surgeplan.report` (the only writer), :mod:`surgeplan.charts` (figures) and
:mod:`surgeplan.cli` (the ``surgeplan`` command).
"""
__version__ = "0.1.0"
