"""Gongzhi 共治: a volunteer and social-organization matching marketplace.

This package stays free of Flask so that ``python -m marketplace.matching`` loads
only the engine.
"""
