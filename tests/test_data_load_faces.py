"""mml.data.load_faces: the 100 face images of scikit-image's LFW subset, offline."""
import numpy as np
from skimage.data import lfw_subset

from mml.data import load_faces


def test_load_faces_shape_dtype_and_range():
    faces = load_faces()
    assert faces.shape == (100, 25, 25)
    assert faces.dtype == np.float64
    assert faces.min() >= 0.0 and faces.max() <= 1.0
    assert faces.std() > 0.1, "grey levels should vary, not be a constant image"


def test_load_faces_returns_the_faces_and_not_the_non_face_patches():
    everything = lfw_subset()
    faces = load_faces()
    np.testing.assert_array_equal(faces, everything[:100])
    # no returned image is one of the 100 non-face patches that follow the faces
    patches = everything[100:].reshape(100, -1)
    flat = faces.reshape(100, -1)
    distances = np.linalg.norm(flat[:, None, :] - patches[None, :, :], axis=2)
    assert distances.min() > 0


def test_load_faces_returns_an_independent_array():
    first = load_faces()
    first[0, 0, 0] = -1.0
    assert load_faces()[0, 0, 0] >= 0.0
