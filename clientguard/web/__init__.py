"""clientguard.web"""
