"""The sandpit's hidden landscapes: smooth functions of two variables with analytic
Jacobian and Hessian, and their minima found by the code.

A landscape is the height of the sand, f(x, y), over the square sandpit
[-3, 3] x [-3, 3]; the lost phone lies at its lowest point (the global minimum).
Each landscape is a sum of a few simple terms, each of which knows its value, its
Jacobian (gradient) and its Hessian in closed form:

* `Bowl`     a quadratic bowl  1/2 (p - c)^T A (p - c)
* `Wells`    Gaussian hollows  -sum_k D_k exp(-|p - c_k|^2 / (2 w_k^2))
* `Ripples`  rocks in the sand  sum_k a_k sin(w_k . p + phase_k)
* `Valley`   a curved valley (Rosenbrock's function, rescaled)

All functions take points `p` of shape (..., 2) and return heights (...), Jacobians
(..., 2) and Hessians (..., 2, 2), so a whole grid is evaluated at once.

`make_landscape(name, seed)` builds the named landscapes of the labs; `find_minima`
locates every local minimum on a dense grid and polishes it with scipy.optimize.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np
from scipy.optimize import minimize

HALF_WIDTH = 3.0          # the sandpit is [-HALF_WIDTH, HALF_WIDTH]^2


def _points(p) -> np.ndarray:
    p = np.asarray(p, dtype=float)
    if p.shape[-1:] != (2,):
        raise ValueError(f"points must have shape (..., 2), got {p.shape}")
    return p


# ---------------------------------------------------------------- the terms

@dataclass(frozen=True)
class Bowl:
    """1/2 (p - c)^T A (p - c) with c: (2,) and A: (2, 2) symmetric."""

    centre: np.ndarray
    matrix: np.ndarray

    def value(self, p):
        q = p - self.centre
        return 0.5 * np.einsum("...i,ij,...j->...", q, self.matrix, q)

    def jacobian(self, p):
        return (p - self.centre) @ self.matrix

    def hessian(self, p):
        return np.broadcast_to(self.matrix, p.shape[:-1] + (2, 2))


@dataclass(frozen=True)
class Wells:
    """-sum_k D_k exp(-|p - c_k|^2 / (2 w_k^2)): hollows of depth D_k and width w_k.

    centres: (K, 2), depths: (K,), widths: (K,)."""

    centres: np.ndarray
    depths: np.ndarray
    widths: np.ndarray

    def _parts(self, p):
        q = p[..., None, :] - self.centres                          # (..., K, 2)
        w2 = self.widths**2
        e = self.depths * np.exp(-(q**2).sum(-1) / (2 * w2))        # (..., K)
        return q, w2, e

    def value(self, p):
        return -self._parts(p)[2].sum(-1)

    def jacobian(self, p):
        q, w2, e = self._parts(p)
        return ((e / w2)[..., None] * q).sum(-2)

    def hessian(self, p):
        q, w2, e = self._parts(p)
        outer = q[..., :, None] * q[..., None, :]                   # (..., K, 2, 2)
        per_well = (e / w2)[..., None, None] * (np.eye(2) - outer / w2[:, None, None])
        return per_well.sum(-3)


@dataclass(frozen=True)
class Ripples:
    """sum_k a_k sin(w_k . p + phase_k): wavevectors (K, 2), amplitudes (K,), phases (K,)."""

    wavevectors: np.ndarray
    amplitudes: np.ndarray
    phases: np.ndarray

    def _angle(self, p):
        return p @ self.wavevectors.T + self.phases                 # (..., K)

    def value(self, p):
        return (self.amplitudes * np.sin(self._angle(p))).sum(-1)

    def jacobian(self, p):
        return (self.amplitudes * np.cos(self._angle(p))) @ self.wavevectors

    def hessian(self, p):
        outer = self.wavevectors[:, :, None] * self.wavevectors[:, None, :]   # (K, 2, 2)
        weights = -self.amplitudes * np.sin(self._angle(p))                    # (..., K)
        return np.einsum("...k,kij->...ij", weights, outer)


@dataclass(frozen=True)
class Valley:
    """Rosenbrock's curved valley, k [(a - u)^2 + b (v - u^2)^2] with (u, v) = p / s.

    Its lowest point is p = s (a, a^2)."""

    k: float
    a: float
    b: float
    s: float

    def value(self, p):
        u, v = p[..., 0] / self.s, p[..., 1] / self.s
        return self.k * ((self.a - u)**2 + self.b * (v - u**2)**2)

    def jacobian(self, p):
        u, v = p[..., 0] / self.s, p[..., 1] / self.s
        du = -2 * (self.a - u) - 4 * self.b * u * (v - u**2)
        dv = 2 * self.b * (v - u**2)
        return self.k / self.s * np.stack([du, dv], axis=-1)

    def hessian(self, p):
        u, v = p[..., 0] / self.s, p[..., 1] / self.s
        duu = 2 - 4 * self.b * (v - u**2) + 8 * self.b * u**2
        duv = -4 * self.b * u
        dvv = np.full_like(u, 2 * self.b)
        rows = [np.stack([duu, duv], axis=-1), np.stack([duv, dvv], axis=-1)]
        return self.k / self.s**2 * np.stack(rows, axis=-2)


# ---------------------------------------------------------------- a landscape

@dataclass(frozen=True)
class Minima:
    """The local minima of a landscape inside the sandpit, deepest first.

    points: (m, 2), heights: (m,); points[0] is the global minimum (the phone)."""

    points: np.ndarray
    heights: np.ndarray

    @property
    def best(self) -> np.ndarray:
        return self.points[0]


@dataclass(eq=False)
class Landscape:
    """The hidden sand: f, its Jacobian and Hessian, summed over `terms`.

    f(p): (...,) for points p (..., 2); a single point (2,) gives a float.
    jacobian(p): (..., 2);  hessian(p): (..., 2, 2).
    """

    name: str
    description: str
    terms: tuple
    half_width: float = HALF_WIDTH
    _cache: dict = field(default_factory=dict, repr=False)

    def f(self, p):
        p = _points(p)
        value = sum(term.value(p) for term in self.terms)
        return float(value) if p.ndim == 1 else value

    def jacobian(self, p):
        p = _points(p)
        return sum(term.jacobian(p) for term in self.terms)

    def hessian(self, p):
        p = _points(p)
        return sum(term.hessian(p) for term in self.terms)

    def contains(self, p) -> bool:
        """Is the point (2,) inside the sandpit (edges included)?"""
        return bool(np.all(np.abs(_points(p)) <= self.half_width + 1e-12))

    def grid(self, n: int = 201):
        """X, Y, Z: (n, n) arrays of a regular grid over the sandpit and the heights."""
        if n not in self._cache:
            side = np.linspace(-self.half_width, self.half_width, n)
            X, Y = np.meshgrid(side, side)
            self._cache[n] = (X, Y, self.f(np.stack([X, Y], axis=-1)))
        return self._cache[n]

    @cached_property
    def minima(self) -> Minima:
        return find_minima(self)

    @property
    def global_minimum(self) -> np.ndarray:
        """(2,) where the phone is."""
        return self.minima.best

    @cached_property
    def typical_slope(self) -> float:
        """The median length of the Jacobian over the sandpit: a scale for arrows."""
        X, Y, _ = self.grid(61)
        return float(np.median(np.linalg.norm(self.jacobian(np.stack([X, Y], -1)), axis=-1)))


def find_minima(landscape: Landscape, n: int = 301) -> Minima:
    """Every local minimum of `landscape` inside the sandpit, deepest first.

    Grid points lower than all eight neighbours mark the hollows; each is polished
    with scipy's trust-region Newton method (using the analytic Jacobian and Hessian).
    A polished point counts if it stays inside the sandpit, its Jacobian vanishes and
    its Hessian is positive definite; points that polish to the same place are merged.
    """
    X, Y, Z = landscape.grid(n)
    centre = Z[1:-1, 1:-1]
    lower = np.ones_like(centre, dtype=bool)
    for di in (-1, 0, 1):
        for dj in (-1, 0, 1):
            if di or dj:
                lower &= centre < Z[1 + di:n - 1 + di, 1 + dj:n - 1 + dj]
    rows, cols = np.nonzero(lower)
    starts = np.column_stack([X[1:-1, 1:-1][rows, cols], Y[1:-1, 1:-1][rows, cols]])

    found: list[np.ndarray] = []
    for start in starts:
        result = minimize(landscape.f, start, jac=landscape.jacobian, hess=landscape.hessian,
                          method="trust-exact", options={"gtol": 1e-10})
        p = result.x
        if not landscape.contains(p):
            continue
        if np.linalg.norm(landscape.jacobian(p)) > 1e-7:
            continue
        if np.linalg.eigvalsh(landscape.hessian(p))[0] <= 0:
            continue
        if all(np.linalg.norm(p - q) > 1e-4 for q in found):
            found.append(p)
    if not found:
        raise RuntimeError(f"no minimum found inside the sandpit for {landscape.name!r}")
    points = np.array(found)
    heights = landscape.f(points)
    order = np.argsort(heights)
    return Minima(points=points[order], heights=heights[order])


# ---------------------------------------------------------------- the labs' landscapes

def _rotation(degrees: float) -> np.ndarray:
    t = np.radians(degrees)
    return np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])


def _elongated(long: float, short: float, degrees: float) -> np.ndarray:
    """A symmetric positive definite 2x2 matrix with curvatures `long` and `short`,
    its first axis turned by `degrees`."""
    R = _rotation(degrees)
    return R @ np.diag([long, short]) @ R.T


def _wells(centres, depths, widths) -> Wells:
    return Wells(np.array(centres, dtype=float), np.array(depths, dtype=float),
                 np.array(widths, dtype=float))


def _random_wells(rng: np.random.Generator, count: int, reach: float,
                  depth_range, width_range) -> Wells:
    return Wells(rng.uniform(-reach, reach, size=(count, 2)),
                 rng.uniform(*depth_range, size=count), rng.uniform(*width_range, size=count))


def _random_ripples(rng: np.random.Generator, count: int, amplitude: float,
                    wavenumber_range) -> Ripples:
    angles = rng.uniform(0, np.pi, size=count)
    wavenumbers = rng.uniform(*wavenumber_range, size=count)
    wavevectors = wavenumbers[:, None] * np.column_stack([np.cos(angles), np.sin(angles)])
    return Ripples(wavevectors, np.full(count, amplitude / np.sqrt(count)),
                   rng.uniform(0, 2 * np.pi, size=count))


def _single_well(seed: int) -> Landscape:
    centre = np.array([0.9, -0.7])
    return Landscape("single well", "One smooth hollow, longer in one direction than the other.",
                     (Bowl(centre, _elongated(0.5, 0.12, 30)), _wells([centre], [1.2], [0.9])))


def _multiple_minima(seed: int) -> Landscape:
    return Landscape(
        "multiple minima", "Four hollows of different depths on a gently sloping bowl.",
        (Bowl(np.zeros(2), 0.12 * np.eye(2)),
         _wells([[1.2, 0.5], [-1.2, -1.0], [-0.9, 1.4], [0.9, -1.6]],
                [1.0, 0.8, 0.65, 0.5], [0.55, 0.5, 0.4, 0.35])))


def _random(seed: int) -> Landscape:
    rng = np.random.default_rng([seed, 1])
    return Landscape(
        "random", f"Five hollows placed at random (seed {seed}): change the seed for new sand.",
        (Bowl(np.zeros(2), 0.1 * np.eye(2)), _random_wells(rng, 5, 2.2, (0.5, 1.2), (0.3, 0.7))))


def _rocky(seed: int) -> Landscape:
    rng = np.random.default_rng([seed, 2])
    return Landscape(
        "rocky", f"One wide basin, with rocks making small bumps and dips everywhere (seed {seed}).",
        (Bowl(np.array([0.6, 0.4]), 0.4 * np.eye(2)), _random_ripples(rng, 10, 0.3, (4.0, 7.0))))


def _long_valley(seed: int) -> Landscape:
    return Landscape(
        "long valley", "A narrow curved valley with a nearly level floor (Rosenbrock's function).",
        (Valley(k=0.5, a=1.0, b=2.0, s=1.5),))


def _needle(seed: int) -> Landscape:
    return Landscape(
        "needle in the sand", "A wide, shallow hollow, and somewhere a narrow, much deeper hole.",
        (Bowl(np.zeros(2), 0.05 * np.eye(2)),
         _wells([[-1.0, -0.9], [1.7, 1.5]], [0.6, 1.3], [1.1, 0.22])))


def _twin_hollows(seed: int) -> Landscape:
    return Landscape(
        "twin hollows", "Two hollows that look alike; one is a little deeper.",
        (Bowl(np.zeros(2), 0.1 * np.eye(2)),
         _wells([[-1.3, 0.4], [1.2, -0.3]], [1.0, 1.04], [0.7, 0.65])))


def _many_hollows(seed: int) -> Landscape:
    rng = np.random.default_rng([seed, 3])
    return Landscape(
        "many hollows", f"Ten narrow hollows placed at random (seed {seed}).",
        (Bowl(np.zeros(2), 0.08 * np.eye(2)), _random_wells(rng, 10, 2.4, (0.4, 1.0), (0.2, 0.45))))


def _very_rocky(seed: int) -> Landscape:
    rng = np.random.default_rng([seed, 4])
    return Landscape(
        "very rocky", f"A long tilted basin strewn with big rocks (seed {seed}).",
        (Bowl(np.array([-0.5, 0.3]), _elongated(0.6, 0.2, -35)),
         _random_ripples(rng, 8, 0.4, (3.5, 6.0))))


_FACTORIES = {
    "single well": _single_well,
    "multiple minima": _multiple_minima,
    "random": _random,
    "rocky": _rocky,
    "long valley": _long_valley,
    "needle in the sand": _needle,
    "twin hollows": _twin_hollows,
    "many hollows": _many_hollows,
    "very rocky": _very_rocky,
}
# The menus of the labs: Part 1 starts gently; Part 2 is harder.
PART_1 = ("single well", "multiple minima", "random", "rocky")
PART_2 = ("long valley", "needle in the sand", "twin hollows", "many hollows", "very rocky")
LANDSCAPES = PART_1 + PART_2
SEEDED = ("random", "rocky", "many hollows", "very rocky")


@lru_cache(maxsize=64)
def make_landscape(name: str, seed: int = 0) -> Landscape:
    """The landscape called `name` (one of LANDSCAPES). `seed` chooses the sand of the
    random ones (SEEDED); the others ignore it."""
    if name not in _FACTORIES:
        raise ValueError(f"unknown landscape {name!r}; choose one of {', '.join(LANDSCAPES)}")
    return _FACTORIES[name](int(seed) if name in SEEDED else 0)
