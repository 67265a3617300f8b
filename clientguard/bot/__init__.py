"""clientguard.bot"""
