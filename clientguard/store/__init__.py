"""clientguard.store"""
