"""coursework"""
