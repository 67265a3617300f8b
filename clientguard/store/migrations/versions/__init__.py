"""Migration scripts: ``0001_core`` plus one ``0002_<feature>`` branch per feature."""
