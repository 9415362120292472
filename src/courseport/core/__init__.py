"""The domain: one neutral vocabulary, no HTTP, no dialect, no web framework.

Domain packages, each importing only those before it (tests/test_layers.py):
kit < identity < jobs < courses < content < coursework < views < copy < blueprints < packages.
Each package's `__init__` names its public modules in `__all__` and imports nothing, so loading
one module never loads a whole package. No module lives at this root.
"""
