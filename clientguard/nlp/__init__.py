"""clientguard.nlp"""
