"""clientguard.playbook"""
