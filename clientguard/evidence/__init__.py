"""clientguard.evidence"""
