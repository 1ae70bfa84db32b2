"""Interactive tools for the labs (ipywidgets, JupyterLab 4, no frontend extension needed).

mml.widgets.eigen   edit a 2x2 matrix; see the unit square, a fan of vectors and the
                    eigenvectors before and after the matrix acts (lab: eigen_visualiser)

Each tool keeps its mathematics in a pure function that the book's static figures
and the tests use directly; the widget classes only wire controls to that function.
"""
from mml.widgets.eigen import EigenPicture, EigenVisualiser, draw_eigen_picture, eigen_picture_data

__all__ = ["EigenPicture", "EigenVisualiser", "draw_eigen_picture", "eigen_picture_data"]
