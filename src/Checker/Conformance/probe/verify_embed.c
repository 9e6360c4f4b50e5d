/*
 * The conformance driver's embedding program: CPython's own command line (Py_BytesMain) with one extra
 * builtin module, _testbuiltin, registered with PyImport_AppendInittab before the interpreter starts. That
 * is the only way to get a single-phase builtin (T8: _imp.create_builtin, cache key (name, name)) that the
 * stock builds do not have; the stock builtins that are single-phase (sys, builtins, _tracemalloc, ...) cannot
 * be re-imported or observed the way a trace needs.
 *
 *   _testbuiltin   single-phase, m_size -1, its own init counter
 *
 * Its init fills the module like the probe's inits (obj, error, init_interp, init_serial, look_up_self,
 * initialized_count, sum). verify_builtin_info() is exported (the program is linked with -rdynamic) so that
 * the driver reads the def's m_base through ctypes.PyDLL(None), as it reads the probe's defs.
 *
 * Built with: gcc -O0 -rdynamic -I<include dir> verify_embed.c -o <out> -L<libdir> -lpython<ver> -Wl,-rpath,<libdir>
 * Run with PYTHONHOME set to the target Python's prefix (the program does not live next to its stdlib).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static long builtin_count;

static PyObject *
look_up_self(PyObject *self, PyObject *unused)
{
    PyModuleDef *def = self != NULL && PyModule_Check(self) ? PyModule_GetDef(self) : NULL;
    if (def == NULL) Py_RETURN_NONE;
    PyObject *found = PyState_FindModule(def); /* borrowed */
    if (found == NULL) {
        PyErr_Clear();
        Py_RETURN_NONE;
    }
    Py_INCREF(found);
    return found;
}

static PyObject *
initialized_count(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(builtin_count);
}

static PyObject *
builtin_sum(PyObject *self, PyObject *args)
{
    long a, b;
    if (!PyArg_ParseTuple(args, "ll", &a, &b)) return NULL;
    return PyLong_FromLong(a + b);
}

static PyMethodDef builtin_methods[] = {
    {"look_up_self", look_up_self, METH_NOARGS, "PyState_FindModule(def) in the current interpreter, or None"},
    {"initialized_count", initialized_count, METH_NOARGS, "how many times this builtin's init ran"},
    {"sum", builtin_sum, METH_VARARGS, "a + b"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef builtin_def = {
    PyModuleDef_HEAD_INIT, "_testbuiltin", NULL, -1, builtin_methods,
};

static int
add_steal(PyObject *module, const char *name, PyObject *value)
{
    if (value == NULL) return -1;
    int rc = PyModule_AddObject(module, name, value);
    if (rc < 0) Py_DECREF(value);
    return rc;
}

static PyObject *
PyInit__testbuiltin(void)
{
    PyObject *module = PyModule_Create(&builtin_def);
    if (module == NULL) return NULL;
    long serial = ++builtin_count;
    long long interp = (long long)PyInterpreterState_GetID(PyInterpreterState_Get());
    if (add_steal(module, "obj", Py_BuildValue("[l]", serial)) < 0
        || add_steal(module, "error", PyErr_NewException("_testbuiltin.error", NULL, NULL)) < 0
        || add_steal(module, "init_interp", PyLong_FromLongLong(interp)) < 0
        || add_steal(module, "init_serial", PyLong_FromLong(serial)) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}

/* Like the probe's verify_probe_info, for the one builtin def: reads only, takes no reference to m_copy. */
PyObject *verify_builtin_info(void);

PyObject *
verify_builtin_info(void)
{
    PyObject *copy = builtin_def.m_base.m_copy;
    PyObject *owner = Py_None;
    Py_INCREF(owner);
    if (copy != NULL && PyDict_Check(copy)) {
        PyObject *v = PyDict_GetItemString(copy, "init_interp"); /* borrowed */
        if (v != NULL) {
            Py_DECREF(owner);
            owner = PyLong_FromLongLong(PyLong_AsLongLong(v));
        }
    }
    return Py_BuildValue(
        "[{s:s,s:n,s:O,s:O,s:n,s:N,s:l}]",
        "def", builtin_def.m_name,
        "m_index", builtin_def.m_base.m_index,
        "m_init_set", builtin_def.m_base.m_init != NULL ? Py_True : Py_False,
        "m_copy_set", copy != NULL ? Py_True : Py_False,
        "m_copy_refcount", copy != NULL ? Py_REFCNT(copy) : (Py_ssize_t)-1,
        "m_copy_init_interp", owner,
        "initialized_count", builtin_count);
}

int
main(int argc, char **argv)
{
    if (PyImport_AppendInittab("_testbuiltin", PyInit__testbuiltin) < 0) return 70;
    return Py_BytesMain(argc, argv);
}
