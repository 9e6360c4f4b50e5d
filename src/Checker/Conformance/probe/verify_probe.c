/*
 * The conformance probe: legacy single-phase extension modules named after the variants of CPython's
 * own _testsinglephase (the names Verify's built-in catalogue uses), so that one trace runs unchanged
 * on 3.10/3.11 (which ship no _testsinglephase) and on 3.12/3.13.
 *
 *   _testsinglephase               m_size -1                       counter "basic"
 *   _testsinglephase_basic_wrapper the same def under another name  (T5: the rename case)
 *   _testsinglephase_basic_copy    its own def, m_size -1           shares counter "basic" (T5b)
 *   _testsinglephase_with_reinit   m_size 0                         counter "reinit"
 *   _testsinglephase_with_state    m_size 42                        counter "state"
 *   _testmultiphase                multi-phase (PEP 489), m_size 0  counter "multi"  (T7)
 *   _testoptout                    multi-phase with the HOWTO's     counter "optout" (T14)
 *                                  once-per-process check
 *
 * The multi-phase modules fill the same attributes in their exec slot, which runs in the importing
 * interpreter in every version (3.13 runs only PyInit_*, which returns the def, under main); both
 * declare Py_MOD_PER_INTERPRETER_GIL_SUPPORTED on 3.12+, as the model's catalogue says.
 *
 * Each init puts in the module: obj (a fresh list, a plain GC-tracked mortal), error (a fresh heap
 * exception type), init_interp (the id of the interpreter current while the init ran), init_serial
 * (the counter after this init), and the functions look_up_self, initialized_count, sum. The functions'
 * __self__ is the module this init created, which is how a program tells an init-created module from a
 * copy filled from m_copy.
 *
 * verify_probe_info() is exported for the driver, which calls it through ctypes.PyDLL in the main
 * interpreter: it reads each def's m_base from C, without importing anything and without touching
 * any refcount, so observing does not change what is observed.
 *
 * Built with: gcc -shared -fPIC -O0 -I<include dir of the target Python> verify_probe.c -o <out>.so
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
    long initialized_count;
} counter_t;

/* The C globals, one group per "shared object static state" of the model's catalogue. CPython never resets them. */
static counter_t basic_counter;
static counter_t reinit_counter;
static counter_t state_counter;
static counter_t multi_counter;
static counter_t optout_counter;
/* The HOWTO's opt-out: set by the first exec in the process, never reset (no m_free). */
static int optout_loaded;

static PyObject *look_up_self(PyObject *self, PyObject *unused);
static PyObject *initialized_count(PyObject *self, PyObject *unused);
static PyObject *probe_sum(PyObject *self, PyObject *args);

static PyMethodDef probe_methods[] = {
    {"look_up_self", look_up_self, METH_NOARGS, "PyState_FindModule(def) in the current interpreter, or None"},
    {"initialized_count", initialized_count, METH_NOARGS, "how many times an init of this def's counter group ran"},
    {"sum", probe_sum, METH_VARARGS, "a + b (like _testsinglephase.sum)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef basic_def = {
    PyModuleDef_HEAD_INIT, "_testsinglephase", NULL, -1, probe_methods,
};
static struct PyModuleDef basic_copy_def = {
    PyModuleDef_HEAD_INIT, "_testsinglephase_basic_copy", NULL, -1, probe_methods,
};
static struct PyModuleDef reinit_def = {
    PyModuleDef_HEAD_INIT, "_testsinglephase_with_reinit", NULL, 0, probe_methods,
};
static struct PyModuleDef state_def = {
    PyModuleDef_HEAD_INIT, "_testsinglephase_with_state", NULL, 42, probe_methods,
};

static int multi_exec(PyObject *module);
static int optout_exec(PyObject *module);

static PyModuleDef_Slot multi_slots[] = {
    {Py_mod_exec, multi_exec},
#ifdef Py_mod_multiple_interpreters
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
#endif
    {0, NULL},
};
static PyModuleDef_Slot optout_slots[] = {
    {Py_mod_exec, optout_exec},
#ifdef Py_mod_multiple_interpreters
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
#endif
    {0, NULL},
};
static struct PyModuleDef multi_def = {
    PyModuleDef_HEAD_INIT, "_testmultiphase", NULL, 0, probe_methods, multi_slots,
};
static struct PyModuleDef optout_def = {
    PyModuleDef_HEAD_INIT, "_testoptout", NULL, 0, probe_methods, optout_slots,
};

/* Every def the probe has, with its counter group, in the order info() reports them. */
static struct {
    struct PyModuleDef *def;
    counter_t *counter;
} probe_defs[] = {
    {&basic_def, &basic_counter},
    {&basic_copy_def, &basic_counter},
    {&reinit_def, &reinit_counter},
    {&state_def, &state_counter},
    {&multi_def, &multi_counter},
    {&optout_def, &optout_counter},
};
#define N_DEFS (sizeof(probe_defs) / sizeof(probe_defs[0]))

static counter_t *
counter_of(PyModuleDef *def)
{
    for (size_t i = 0; i < N_DEFS; i++)
        if (probe_defs[i].def == def) return probe_defs[i].counter;
    return NULL;
}

/* The def a function belongs to: its __self__ is the module the init created, which keeps md_def. */
static PyModuleDef *
def_of_self(PyObject *self)
{
    return self != NULL && PyModule_Check(self) ? PyModule_GetDef(self) : NULL;
}

static PyObject *
look_up_self(PyObject *self, PyObject *unused)
{
    PyModuleDef *def = def_of_self(self);
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
    counter_t *c = counter_of(def_of_self(self));
    return PyLong_FromLong(c ? c->initialized_count : -1);
}

static PyObject *
probe_sum(PyObject *self, PyObject *args)
{
    long a, b;
    if (!PyArg_ParseTuple(args, "ll", &a, &b)) return NULL;
    return PyLong_FromLong(a + b);
}

static int
add_steal(PyObject *module, const char *name, PyObject *value)
{
    if (value == NULL) return -1;
    int rc = PyModule_AddObject(module, name, value);
    if (rc < 0) Py_DECREF(value);
    return rc;
}

/* Fill a module with the fresh values of one init (single-phase) or exec (multi-phase); 0 or -1. */
static int
fill(PyObject *module, PyModuleDef *def)
{
    counter_t *counter = counter_of(def);
    long serial = ++counter->initialized_count;
    long long interp = (long long)PyInterpreterState_GetID(PyInterpreterState_Get());

    char errname[128];
    PyOS_snprintf(errname, sizeof(errname), "%s.error", def->m_name);
    if (add_steal(module, "obj", Py_BuildValue("[l]", serial)) < 0
        || add_steal(module, "error", PyErr_NewException(errname, NULL, NULL)) < 0
        || add_steal(module, "init_interp", PyLong_FromLongLong(interp)) < 0
        || add_steal(module, "init_serial", PyLong_FromLong(serial)) < 0) {
        return -1;
    }
    return 0;
}

/* One init run: create the module from def and fill it with fresh values. */
static PyObject *
run_init(PyModuleDef *def)
{
    PyObject *module = PyModule_Create(def);
    if (module == NULL) return NULL;
    if (fill(module, def) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}

static int
multi_exec(PyObject *module)
{
    return fill(module, &multi_def);
}

/* The HOWTO's pattern for modules that cannot be isolated: refuse every load after the first in the process. */
static int
optout_exec(PyObject *module)
{
    if (optout_loaded) {
        PyErr_SetString(PyExc_ImportError, "cannot load module more than once per process");
        return -1;
    }
    optout_loaded = 1;
    return fill(module, &optout_def);
}

PyMODINIT_FUNC
PyInit__testsinglephase(void)
{
    return run_init(&basic_def);
}

/* The rename case: the same def, requested under another name (like _testsinglephase's wrapper). */
PyMODINIT_FUNC
PyInit__testsinglephase_basic_wrapper(void)
{
    return PyInit__testsinglephase();
}

PyMODINIT_FUNC
PyInit__testsinglephase_basic_copy(void)
{
    return run_init(&basic_copy_def);
}

PyMODINIT_FUNC
PyInit__testsinglephase_with_reinit(void)
{
    return run_init(&reinit_def);
}

PyMODINIT_FUNC
PyInit__testsinglephase_with_state(void)
{
    return run_init(&state_def);
}

PyMODINIT_FUNC
PyInit__testmultiphase(void)
{
    return PyModuleDef_Init(&multi_def);
}

PyMODINIT_FUNC
PyInit__testoptout(void)
{
    return PyModuleDef_Init(&optout_def);
}

/*
 * For the driver (through ctypes.PyDLL, GIL held, main interpreter): a list with one dict per def:
 * name, m_index, m_init_set, m_copy_set, m_copy_refcount, m_copy_init_interp (the init_interp value the
 * cached dict holds, or None). Reads only; no reference to m_copy is taken.
 */
PyObject *verify_probe_info(void);

PyObject *
verify_probe_info(void)
{
    PyObject *list = PyList_New(0);
    if (list == NULL) return NULL;
    for (size_t i = 0; i < N_DEFS; i++) {
        PyModuleDef *def = probe_defs[i].def;
        PyObject *copy = def->m_base.m_copy;
        PyObject *owner = Py_None;
        Py_INCREF(owner);
        if (copy != NULL && PyDict_Check(copy)) {
            PyObject *v = PyDict_GetItemString(copy, "init_interp"); /* borrowed, no error set */
            if (v != NULL) {
                Py_DECREF(owner);
                owner = PyLong_FromLongLong(PyLong_AsLongLong(v));
            }
        }
        PyObject *entry = Py_BuildValue(
            "{s:s,s:n,s:O,s:O,s:n,s:N,s:l}",
            "def", def->m_name,
            "m_index", def->m_base.m_index,
            "m_init_set", def->m_base.m_init != NULL ? Py_True : Py_False,
            "m_copy_set", copy != NULL ? Py_True : Py_False,
            "m_copy_refcount", copy != NULL ? Py_REFCNT(copy) : (Py_ssize_t)-1,
            "m_copy_init_interp", owner,
            "initialized_count", probe_defs[i].counter->initialized_count);
        if (entry == NULL || PyList_Append(list, entry) < 0) {
            Py_XDECREF(entry);
            Py_DECREF(list);
            return NULL;
        }
        Py_DECREF(entry);
    }
    return list;
}
