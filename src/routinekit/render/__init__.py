"""Renderers' drawing code: the built-in ``pdf`` and ``html`` formats, and shared QR codes.

Nothing here is imported until a handout is drawn; reportlab is imported inside
the PDF renderer's functions only.
"""
