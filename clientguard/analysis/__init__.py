"""clientguard.analysis"""
