"""clientguard.ingest"""
