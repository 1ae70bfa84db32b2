"""Interactive tools for the labs (ipywidgets, JupyterLab 4, no frontend extension needed).

mml.widgets.eigen       edit a 2x2 matrix; see the unit square, a fan of vectors and the
                        eigenvectors before and after the matrix acts (lab: eigen_visualiser)
mml.widgets.landscapes  the sandpit's hidden landscapes: f, analytic Jacobian and Hessian,
                        and their minima
mml.widgets.sandpit     find the phone: probe the hidden sand with depth, Jacobian or
                        Hessian instruments (labs: sandpit, sandpit_part2)
mml.widgets.taylor      a function with its Taylor polynomial of any order about any point
                        (lab: taylor_series)
mml.widgets.descent     a step rule next_step(f, J, H) walking downhill on the landscapes
                        (lab: gradient_descent_sandpit)

Each tool keeps its mathematics in a pure function that the book's static figures
and the tests use directly; the widget classes only wire controls to that function.
"""
from mml.widgets.descent import DescentSandpit, draw_descent, run_descent
from mml.widgets.eigen import EigenPicture, EigenVisualiser, draw_eigen_picture, eigen_picture_data
from mml.widgets.landscapes import make_landscape
from mml.widgets.sandpit import Sandpit, draw_sandpit, probe_report
from mml.widgets.taylor import (TaylorVisualiser, draw_taylor_picture, taylor_coefficients,
                                taylor_picture_data)

__all__ = ["DescentSandpit", "EigenPicture", "EigenVisualiser", "Sandpit", "TaylorVisualiser",
           "draw_descent", "draw_eigen_picture", "draw_sandpit", "draw_taylor_picture",
           "eigen_picture_data", "make_landscape", "probe_report", "run_descent",
           "taylor_coefficients", "taylor_picture_data"]
