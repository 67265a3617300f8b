"""clientguard.contracts"""
