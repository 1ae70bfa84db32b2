"""Visualising Taylor series: a function, its Taylor polynomial of a chosen order about
a chosen point, the remainder between them, and where the series can be trusted.

Three layers, as in the other tools:

* `taylor_coefficients(name, a, order)` and `taylor_picture_data(...)` -- pure
  mathematics: the coefficients f^(n)(a) / n! from each function's closed-form
  derivatives, the polynomial, its error, the radius of convergence (the distance from
  a to the nearest singularity, complex ones included) and the interval where the
  series equals the function.
* `draw_taylor_picture(picture)` -- the function and the polynomial with the remainder
  shaded, above the error of every order up to the chosen one (logarithmic axis).
* `TaylorVisualiser` -- the lab's ipywidgets tool: a menu of functions, an order
  slider (0 to 10), a slider for the expansion point and one for a point x to
  approximate.
"""
from __future__ import annotations

from dataclasses import dataclass
from math import factorial
from typing import Callable

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from numpy.polynomial import hermite

from mml.plotting import COLORS
from mml.widgets._figure import draw_into, paragraph

MAX_ORDER = 10
MINUS = "\u2212"


@dataclass(frozen=True)
class SeriesFunction:
    """A function of the menu.

    value(x): the function on an array (nan where it is not defined).
    derivative(n, a): its n-th derivative at a point a where it is smooth.
    trouble(a): None where the function is smooth at a, else why there is no series.
    singularities: the points of the complex plane where the function blows up; the
    radius of convergence about a is the distance to the nearest one.
    kinks: real points where the function is continuous but not smooth; the series
    about a equals the function only up to the nearest kink.
    x_range, y_range: the window of the figure (and the range of the sliders).
    default_point, default_x: where the expansion point and x start.
    """

    label: str
    tex: str
    value: Callable[[np.ndarray], np.ndarray]
    derivative: Callable[[int, float], float]
    trouble: Callable[[float], str | None]
    singularities: tuple = ()
    kinks: tuple = ()
    x_range: tuple = (-3.0, 3.0)
    y_range: tuple = (-3.0, 3.0)
    default_point: float = 0.0
    default_x: float = 1.0


def _smooth(a: float) -> None:
    return None


def _log_derivative(n: int, a: float) -> float:
    return np.log(a) if n == 0 else (-1) ** (n + 1) * factorial(n - 1) / a**n


def _bump_derivative(n: int, a: float) -> float:
    # d^n/dx^n exp(-x^2) = (-1)^n H_n(x) exp(-x^2), H_n the physicists' Hermite polynomial
    return (-1) ** n * hermite.hermval(a, [0] * n + [1]) * np.exp(-a**2)


def _lorentzian_derivative(n: int, a: float) -> float:
    # 1/(1 + x^2) = Im 1/(x - i), and d^n/dx^n 1/(x - i) = (-1)^n n! / (x - i)^(n+1)
    return ((-1) ** n * factorial(n) / (a - 1j) ** (n + 1)).imag


def _abs_derivative(n: int, a: float) -> float:
    return abs(a) if n == 0 else (np.sign(a) if n == 1 else 0.0)


def _where(condition, values):
    """values() where condition holds, NaN elsewhere (no warning for the points left out).
    `values` is a callable so that it is evaluated inside the errstate."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(condition, values(), np.nan)


FUNCTIONS = {
    "e^x": SeriesFunction(
        "e^x", r"e^{x}", np.exp, lambda n, a: np.exp(a), _smooth,
        x_range=(-3.0, 3.0), y_range=(-2.0, 10.0), default_x=2.0),
    "sin x": SeriesFunction(
        "sin x", r"\sin x", np.sin, lambda n, a: np.sin(a + n * np.pi / 2), _smooth,
        x_range=(-6.5, 6.5), y_range=(-2.5, 2.5), default_x=3.0),
    "cos x": SeriesFunction(
        "cos x", r"\cos x", np.cos, lambda n, a: np.cos(a + n * np.pi / 2), _smooth,
        x_range=(-6.5, 6.5), y_range=(-2.5, 2.5), default_x=3.0),
    "ln x": SeriesFunction(
        "ln x", r"\ln x", lambda x: _where(x > 0, lambda: np.log(np.abs(x))), _log_derivative,
        lambda a: None if a > 0 else "ln x is not defined for x \u2264 0",
        singularities=(0,), x_range=(-0.5, 4.0), y_range=(-4.0, 2.5), default_point=1.0,
        default_x=2.5),
    "1/x": SeriesFunction(
        "1/x", r"1/x", lambda x: _where(x != 0, lambda: 1 / x),
        lambda n, a: (-1) ** n * factorial(n) / a ** (n + 1),
        lambda a: None if a != 0 else "1/x has no value at x = 0",
        singularities=(0,), x_range=(-3.0, 3.0), y_range=(-5.0, 5.0), default_point=1.0,
        default_x=2.5),
    "1/(1\u2212x)": SeriesFunction(
        "1/(1\u2212x)", r"1/(1-x)", lambda x: _where(x != 1, lambda: 1 / (1 - x)),
        lambda n, a: factorial(n) / (1 - a) ** (n + 1),
        lambda a: None if a != 1 else "1/(1\u2212x) has no value at x = 1",
        singularities=(1,), x_range=(-3.0, 3.0), y_range=(-5.0, 5.0), default_x=-1.5),
    "1/(1+x\u00b2)": SeriesFunction(
        "1/(1+x\u00b2)", r"1/(1+x^2)", lambda x: 1 / (1 + x**2), _lorentzian_derivative,
        _smooth, singularities=(1j, -1j), x_range=(-3.0, 3.0), y_range=(-1.0, 2.0),
        default_x=1.5),
    "Gaussian bump e^(\u2212x\u00b2)": SeriesFunction(
        "Gaussian bump e^(\u2212x\u00b2)", r"e^{-x^2}", lambda x: np.exp(-x**2),
        _bump_derivative, _smooth, x_range=(-3.0, 3.0), y_range=(-1.0, 1.6), default_x=2.0),
    "|x|": SeriesFunction(
        "|x|", r"|x|", np.abs, _abs_derivative,
        lambda a: None if a != 0 else "|x| has a kink at x = 0: no derivative there",
        kinks=(0,), x_range=(-3.0, 3.0), y_range=(-1.5, 3.5), default_point=1.0,
        default_x=-1.0),
}


def _function(name: str) -> SeriesFunction:
    if name not in FUNCTIONS:
        raise ValueError(f"unknown function {name!r}; choose one of {', '.join(FUNCTIONS)}")
    return FUNCTIONS[name]


def taylor_coefficients(name: str, a: float, order: int) -> np.ndarray:
    """(order + 1,) the coefficients c_n = f^(n)(a) / n! of the Taylor series of the
    function `name` about a, for n = 0..order. ValueError where there is no series."""
    fn = _function(name)
    if order < 0:
        raise ValueError(f"the order must be 0 or more, got {order}")
    reason = fn.trouble(a)
    if reason is not None:
        raise ValueError(f"no Taylor series of {name} about {a:g}: {reason}")
    return np.array([fn.derivative(n, a) / factorial(n) for n in range(order + 1)], dtype=float)


def taylor_polynomial(coefficients: np.ndarray, a: float, x) -> np.ndarray:
    """sum_n c_n (x - a)^n at the points x (Horner's rule)."""
    t = np.asarray(x, dtype=float) - a
    result = np.zeros_like(t)
    for c in coefficients[::-1]:
        result = result * t + c
    return result


def radius_of_convergence(name: str, a: float) -> float:
    """The distance from a to the function's nearest singularity (inf if none)."""
    singularities = _function(name).singularities
    return min((abs(a - s) for s in singularities), default=np.inf)


def agreement_interval(name: str, a: float) -> tuple[float, float]:
    """(lo, hi): where the Taylor series about a converges to the function: within the
    radius of convergence, and not past a kink."""
    R = radius_of_convergence(name, a)
    lo, hi = a - R, a + R
    for kink in _function(name).kinks:
        if kink < a:
            lo = max(lo, kink)
        elif kink > a:
            hi = min(hi, kink)
    return lo, hi


def _number(x: float) -> str:
    text = "\u221e" if np.isinf(x) else f"{x:.3g}"
    text = "0" if text == "-0" else text
    return text.replace("-", MINUS)


def polynomial_text(coefficients: np.ndarray, a: float) -> str:
    """The polynomial as HTML, e.g. 1 + 2(x \u2212 1) \u2212 0.5(x \u2212 1)<sup>2</sup>;
    terms whose coefficient rounds to zero are left out."""
    base = "x" if a == 0 else f"(x {MINUS if a > 0 else '+'} {_number(abs(a))})"
    terms = []
    for n, c in enumerate(coefficients):
        if abs(c) < 1e-12:
            continue
        size = _number(abs(c))
        power = "" if n == 0 else base + ("" if n == 1 else f"<sup>{n}</sup>")
        body = size if n == 0 else ("" if size == "1" else size) + power
        sign = MINUS if c < 0 else "+"
        terms.append((sign, body))
    if not terms:
        return "0"
    first_sign, first = terms[0]
    text = (MINUS if first_sign == MINUS else "") + first
    return text + "".join(f" {sign} {body}" for sign, body in terms[1:])


@dataclass(frozen=True)
class TaylorPicture:
    """Everything the Taylor figure draws.

    xs: (K,) the grid; fx: (K,) f on it (nan outside its domain); px: (K,) the polynomial
    (None when there is no series at a); errors: (order + 1, K) |f - P_k| for k = 0..order.
    radius: of convergence; interval: (lo, hi) where the series equals f.
    x0, f0, p0: the point to approximate, f and P_n there (p0 None without a series).
    """

    name: str
    a: float
    order: int
    coefficients: np.ndarray | None
    xs: np.ndarray
    fx: np.ndarray
    px: np.ndarray | None
    errors: np.ndarray | None
    radius: float
    interval: tuple[float, float]
    x0: float
    f0: float
    p0: float | None
    message: str

    @property
    def inside(self) -> bool:
        """Is x0 strictly inside the interval where the series equals f?"""
        lo, hi = self.interval
        return bool(lo < self.x0 < hi)


def taylor_picture_data(name: str, a: float, order: int, x0: float | None = None,
                        samples: int = 600) -> TaylorPicture:
    """The picture of the order-`order` Taylor polynomial of `name` about `a`, and of
    how well it approximates f at `x0` (the function's default point if None)."""
    fn = _function(name)
    x0 = fn.default_x if x0 is None else float(x0)
    xs = np.linspace(*fn.x_range, samples)
    fx = fn.value(xs)
    f0 = float(fn.value(np.array(x0)))
    radius = radius_of_convergence(name, a)
    interval = agreement_interval(name, a)
    reason = fn.trouble(a)
    if reason is not None:
        message = (f"{reason}, so there is no Taylor series about a = {_number(a)}. "
                   "Move the expansion point.")
        return TaylorPicture(name, a, order, None, xs, fx, None, None, radius, interval,
                             x0, f0, None, message)

    coefficients = taylor_coefficients(name, a, order)
    px = taylor_polynomial(coefficients, a, xs)
    errors = np.array([np.abs(fx - taylor_polynomial(coefficients[:k + 1], a, xs))
                       for k in range(order + 1)])
    p0 = float(taylor_polynomial(coefficients, a, x0))
    lo, hi = interval
    sentences = [f"P<sub>{order}</sub>(x) = {polynomial_text(coefficients, a)}."]
    if fn.kinks and np.isinf(radius):
        side = "x &gt; 0" if a > 0 else "x &lt; 0"
        sentences.append(f"This series converges for every x but equals {name} only for "
                         f"{side}: it cannot see past the kink.")
    elif np.isinf(radius):
        sentences.append("The radius of convergence is infinite: with enough terms the "
                         "series matches f at every x.")
    else:
        sentences.append(f"Radius of convergence R = {_number(radius)}: the series converges "
                         f"to f only for {_number(lo)} &lt; x &lt; {_number(hi)} (blue band).")
    if np.isfinite(f0):
        sentences.append(f"At x = {_number(x0)}: f = {_number(f0)}, "
                         f"P<sub>{order}</sub> = {_number(p0)}, error {_number(abs(f0 - p0))}.")
    else:
        sentences.append(f"At x = {_number(x0)} the function has no value.")
    if not lo < x0 < hi:
        sentences.append(f"<b>x = {_number(x0)} is outside the interval where the series "
                         "converges to f</b>: more terms will not bring P<sub>n</sub> "
                         "closer to f there.")
    return TaylorPicture(name, a, order, coefficients, xs, fx, px, errors, radius, interval,
                         x0, f0, p0, " ".join(sentences))


def _clipped(values: np.ndarray, y_range) -> np.ndarray:
    """Values far outside the window become nan, so that lines leave the frame cleanly
    instead of joining across a pole."""
    lo, hi = y_range
    span = hi - lo
    return np.where((values > lo - 2 * span) & (values < hi + 2 * span), values, np.nan)


def draw_taylor_picture(picture: TaylorPicture, axes=None):
    """Top: f (black) and P_n (orange) with the remainder between them shaded, the
    interval where the series equals f as a blue band, the expansion point and x0.
    Bottom: |f - P_k| for k = 0..n (earlier orders faint), logarithmic axis.
    axes: a pair of axes, top and bottom (a new figure if None). Returns the figure."""
    fn = FUNCTIONS[picture.name]
    if axes is None:
        fig, axes = plt.subplots(2, 1, figsize=(9.0, 6.4), sharex=True,
                                 gridspec_kw={"height_ratios": [2.2, 1]})
        fig.subplots_adjust(hspace=0.12)
    else:
        fig = axes[0].figure
    ax, ax_err = axes
    lo, hi = picture.interval
    for axis in axes:
        axis.axvspan(max(lo, fn.x_range[0] - 1), min(hi, fn.x_range[1] + 1),
                     color=COLORS["sky"], alpha=0.15, lw=0,
                     label="series converges to $f$" if axis is ax else None)
        axis.axvline(picture.x0, color=COLORS["grey"], ls=":", lw=1.2)
    for kink in fn.kinks:
        ax.axvline(kink, color=COLORS["grey"], lw=0.8)
    xs, fx = picture.xs, picture.fx
    ax.plot(xs, _clipped(fx, fn.y_range), color=COLORS["black"], lw=2.5, label=f"$f(x) = {fn.tex}$")
    if picture.px is not None:
        px = _clipped(picture.px, fn.y_range)
        # the shading is cut at the window's edges, so it runs on where P_n leaves the frame
        low, high = fn.y_range
        ax.fill_between(xs, np.clip(fx, low - 1, high + 1), np.clip(picture.px, low - 1, high + 1),
                        where=np.isfinite(fx), color=COLORS["red"], alpha=0.18, lw=0,
                        label="remainder $f - P_n$")
        ax.plot(xs, px, color=COLORS["orange"], lw=2, label=f"$P_{{{picture.order}}}(x)$, order {picture.order}")
        fa = fn.value(np.array(picture.a))
        ax.plot(picture.a, fa, "o", color=COLORS["orange"], ms=9, mec="black", zorder=5,
                label=f"expansion point $a = {picture.a:.3g}$")
        if picture.p0 is not None and np.isfinite(picture.p0):
            ax.plot(picture.x0, picture.p0, "s", color=COLORS["orange"], ms=6, mec="black", zorder=5)
    else:
        ax.axvline(picture.a, color=COLORS["red"], lw=1.5, ls="--",
                   label=f"no series about $a = {picture.a:.3g}$")
    if np.isfinite(picture.f0):
        ax.plot(picture.x0, picture.f0, "o", color=COLORS["black"], ms=6, zorder=5)
    ax.set_xlim(*fn.x_range)
    ax.set_ylim(*fn.y_range)
    ax.set_ylabel("$y$")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
    ax.set_title(f"Taylor polynomial of ${fn.tex}$ of order {picture.order} about "
                 f"$a = {picture.a:.3g}$", fontsize=11)

    if picture.errors is not None:
        floor = 1e-12
        for k, error in enumerate(picture.errors):
            current = k == picture.order
            ax_err.semilogy(xs, np.maximum(error, floor),
                            color=COLORS["orange"] if current else COLORS["grey"],
                            lw=2 if current else 0.8, alpha=1 if current else 0.5,
                            label=f"order {k}" if current else None)
        ax_err.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9,
                      title="(grey: lower orders)", title_fontsize=8)
    else:
        ax_err.set_yscale("log")
    ax_err.set_ylim(1e-8, 1e3)
    ax_err.set_xlabel("$x$")
    ax_err.set_ylabel("$|f - P_n|$")
    return fig


class TaylorVisualiser:
    """The lab's tool: pick a function, an order and an expansion point; watch the
    polynomial and its error.

    Programmatic use (tests, demos):
        vis = TaylorVisualiser("sin x", order=3)
        vis.set(order=7, point=1.0, x=2.5)          # redraws once
        vis.set_function("ln x")
        vis.picture.coefficients, vis.message.value, vis.figure
    """

    def __init__(self, function: str = "e^x", order: int = 3, point: float | None = None,
                 x: float | None = None):
        fn = _function(function)
        self.picture: TaylorPicture | None = None
        self.figure = None
        self._holding = False
        self.function_menu = widgets.Dropdown(options=tuple(FUNCTIONS), value=function,
                                              description="f(x) =",
                                              layout=widgets.Layout(width="20em"))
        self.order_slider = widgets.IntSlider(value=order, min=0, max=MAX_ORDER, description="Order n:",
                                              continuous_update=False)
        self.point_slider = widgets.FloatSlider(description="Point a:", step=0.05,
                                                continuous_update=False, readout_format=".2f")
        self.x_slider = widgets.FloatSlider(description="x:", step=0.05, continuous_update=False,
                                            readout_format=".2f")
        self._fit_sliders(fn, fn.default_point if point is None else point,
                          fn.default_x if x is None else x)
        self.message = widgets.HTML()
        self.output = widgets.Output()
        self.widget = widgets.VBox([
            widgets.HBox([self.function_menu, self.order_slider],
                         layout=widgets.Layout(align_items="center", grid_gap="1em")),
            widgets.HBox([self.point_slider, self.x_slider],
                         layout=widgets.Layout(align_items="center", grid_gap="1em")),
            self.message, self.output])
        self.function_menu.observe(self._on_function, names="value")
        for slider in (self.order_slider, self.point_slider, self.x_slider):
            slider.observe(self._on_change, names="value")
        self.redraw()

    def _fit_sliders(self, fn: SeriesFunction, point: float, x: float) -> None:
        """Give both point sliders the function's range and the given values."""
        lo, hi = fn.x_range
        for slider, value in ((self.point_slider, point), (self.x_slider, x)):
            if lo > slider.max:
                slider.max = hi
                slider.min = lo
            else:
                slider.min = lo
                slider.max = hi
            slider.value = float(np.clip(value, lo, hi))

    def set(self, order: int | None = None, point: float | None = None, x: float | None = None) -> None:
        """Change any of the order, the expansion point and x; redraw once."""
        self._holding = True
        try:
            if order is not None:
                self.order_slider.value = order
            if point is not None:
                self.point_slider.value = point
            if x is not None:
                self.x_slider.value = x
        finally:
            self._holding = False
        self.redraw()

    def set_function(self, name: str) -> None:
        """Show the function `name` (one of FUNCTIONS) at its default point and x."""
        self.function_menu.value = name

    def redraw(self) -> None:
        self.picture = taylor_picture_data(self.function_menu.value, self.point_slider.value,
                                           self.order_slider.value, self.x_slider.value)
        self.message.value = paragraph(self.picture.message)
        self.figure = draw_into(self.output, lambda: draw_taylor_picture(self.picture))

    def _on_function(self, change) -> None:
        fn = _function(change["new"])
        self._holding = True
        try:
            self._fit_sliders(fn, fn.default_point, fn.default_x)
        finally:
            self._holding = False
        self.redraw()

    def _on_change(self, change) -> None:
        if not self._holding:
            self.redraw()

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
