"""Code shared by the book's pages and the assignments.

mml.plotting   one look for every figure: colours, vector arrows, grids
mml.data       datasets shipped with packages or committed here: no downloads
"""
