"""Verify's conformance driver: run ONE trace on a real CPython and print what a program observes.

Usage (standard library only; run it with the CPython under test):

    python driver.py run TRACE.json --probe PATH/_testsinglephase.so
    python driver.py run TRACE.json --stdlib          # CPython's own _testsinglephase (3.12+)
    python driver.py run TRACE.json --probe P.so --embed verify_embed   # also the builtin _testbuiltin (T8)
    python driver.py run ... --ignore-sigint    # what verify passes: Ctrl-C is verify's to handle (see run())

TRACE.json is Verify's trace format in JSON (a list of steps, or an object with "steps"); "-" reads stdin.

`run` starts a fresh child process (this file, `child` mode) that executes the trace and streams one
JSON line per event, flushed, so that a crash never loses the run: the parent relays every line and
ends with an `exit` record saying how the child ended (exit code, signal) and where (during step k,
during the explicit finalize step, or at the implicit finalization after the last step).

Records (one JSON object per line, `type` first):
  {"type": "begin", "step": k, "op": {...}}            the child is about to run step k
  {"type": "phase", "step": k, "phase": "acted"|"collected"}
  {"type": "step", "step": k, "observation": {...}, "unavailable": {...}}
  {"type": "finalizing", "step": k}                     the explicit finalize step k starts (Py_Finalize)
  {"type": "exiting"}                                   the trace is done; the implicit Py_Finalize follows
  {"type": "unsupported", "reason": "..."}              this trace cannot run on this Python / backend
  {"type": "exit", "returncode": n, "signal": "SIGSEGV"|null, "during": "step"|"finalize_step"|"finalization"|null,
   "step": k|null, "stderr": "last lines"}

The observation has the shape of Verify's Observation (src/Model/Observation.cs). A field this driver
cannot read on this Python is left out and named in `unavailable` with the reason; the comparison
skips it. Interpreter numbers are the trace's slots (0 is main), never CPython's interpreter ids.
"""

import ast
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile

# What each trace op means in Python; see docs/trace-format.md.
OPS = ("new_interp", "end_interp", "import", "del_sys_modules", "reload", "reload_spec",
       "clear_extension", "set_attr", "finalize")

# The names the probe exports (its PyInit_* functions), which are the catalogue's names for
# CPython's _testsinglephase variants; CPython 3.12+ ships the same names in its own _testsinglephase.
STDLIB_MODULES = ("_testsinglephase", "_testsinglephase_basic_wrapper", "_testsinglephase_basic_copy",
                  "_testsinglephase_with_reinit", "_testsinglephase_with_state")
# The probe also has the catalogue's multi-phase module and the HOWTO's opt-out (CPython ships neither under these names).
PROBE_MODULES = STDLIB_MODULES + ("_testmultiphase", "_testoptout")
PROBE_DEFS = ("_testsinglephase", "_testsinglephase_basic_copy", "_testsinglephase_with_reinit",
              "_testsinglephase_with_state", "_testmultiphase", "_testoptout")
# The single-phase builtin the embedding program (probe/verify_embed.c) registers with PyImport_AppendInittab.
EMBED_BUILTINS = ("_testbuiltin",)
# The constant a set_attr step binds (immortal, or a cached singleton before 3.12).
REBOUND = "x"


def emit(record):
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


def load_trace(path):
    text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
    doc = json.loads(text)
    steps = doc.get("steps") if isinstance(doc, dict) else doc
    if not isinstance(steps, list):
        raise ValueError("a trace is a list of steps or an object with a 'steps' list")
    for k, s in enumerate(steps, 1):
        if not isinstance(s, dict) or s.get("op") not in OPS:
            raise ValueError("step %d: not a step with a known op: %r" % (k, s))
    return steps


# ---- the child: runs the trace in this process -------------------------------------------------

class Interps:
    """Subinterpreter creation and code execution, per CPython version."""

    def __init__(self):
        self.v = sys.version_info[:2]
        try:
            import _interpreters as api  # 3.13+
            self.new_api = True
        except ImportError:
            import _xxsubinterpreters as api  # 3.10-3.12
            self.new_api = False
        self.api = api

    def create(self, mode):
        if mode == "legacy":
            if self.new_api:
                return self.api.create("legacy")
            if self.v >= (3, 12):
                return self.api.create(isolated=False)
            return self.api.create()
        if self.v < (3, 12):
            raise Unsupported("isolated interpreters need CPython 3.12+")
        return self.api.create("isolated") if self.new_api else self.api.create(isolated=True)

    def destroy(self, ident):
        self.api.destroy(ident)

    def run(self, ident, code):
        if ident is None:
            # Main runs the same code as a subinterpreter would, in a namespace of its own.
            exec(compile(code, "<verify>", "exec"), {"__name__": "__verify__"})
        else:
            self.api.run_string(ident, code)


class Unsupported(Exception):
    pass


# Code run inside an interpreter. Everything it creates lives in a function's locals or is deleted, so
# that no reference outlives the step except what the step itself is meant to leave behind.
PRELUDE = r'''
import sys
def _verify_install(paths):
    import importlib.util
    from importlib.machinery import ExtensionFileLoader
    class VerifyFinder:
        """Find the catalogue's names at their shared object, whatever the name (the rename case)."""
        @staticmethod
        def find_spec(name, path=None, target=None):
            p = paths.get(name)
            if p is None:
                return None
            return importlib.util.spec_from_file_location(name, p, loader=ExtensionFileLoader(name, p))
    sys.meta_path.insert(0, VerifyFinder)
_verify_install(%(paths)r)
del _verify_install
'''

STEP = r'''
def _verify_step(out, op, name, path):
    import sys
    r = {}
    try:
        if op == "import":
            if name not in sys.modules:
                __import__(name)
        elif op == "del_sys_modules":
            del sys.modules[name]
        elif op == "reload":
            import importlib
            importlib.reload(sys.modules[name])
        elif op == "reload_spec":
            import importlib._bootstrap as b
            import importlib.util
            from importlib.machinery import BuiltinImporter, ExtensionFileLoader
            if path == name:  # a builtin: its spec comes from the builtin importer, its cache key is (name, name)
                b._load(BuiltinImporter.find_spec(name))
            else:
                b._load(importlib.util.spec_from_file_location(name, path, loader=ExtensionFileLoader(name, path)))
        elif op == "clear_extension":
            import _testinternalcapi
            _testinternalcapi.clear_extension(name, path)
        elif op == "set_attr":
            sys.modules[name].obj = %(rebound)r
        elif op == "override":
            import _imp
            _imp._override_multi_interp_extensions_check(-1)
        elif op == "collect":
            import gc
            gc.collect()
        r["outcome"] = "ok"
    except ImportError as e:
        r["outcome"] = "import_error"
        r["message"] = str(e)
    except BaseException as e:
        r["outcome"] = "error"
        r["message"] = "%%s: %%s" %% (type(e).__name__, e)
    with open(out, "w") as f:
        f.write(repr(r))
_verify_step(%(out)r, %(op)r, %(name)r, %(path)r)
del _verify_step
'''

OBSERVE = r'''
def _verify_observe(out, names, rebound, call_look_up_self):
    import sys
    import builtins
    r = {"sys_modules_id": id(sys.modules), "builtins_id": id(builtins), "mods": {}}
    for name in names:
        m = sys.modules.get(name)
        if m is None:
            continue
        d = m.__dict__
        fn = d.get("look_up_self")
        obj = d.get("obj")
        rebound_now = isinstance(obj, str) and obj == rebound
        # The mortal values an init made: the ids tell sharing between interpreters within this step.
        values = [id(v) for v in (None if rebound_now else obj, d.get("error"), d.get("sum"), fn) if v is not None]
        count = d.get("initialized_count")
        r["mods"][name] = {
            "module_id": id(m),
            "dict_id": id(d),
            "values": values,
            "init_created": fn is not None and getattr(fn, "__self__", None) is m,
            "init_interp": d.get("init_interp"),
            "init_serial": d.get("init_serial"),
            "initialized_count": count() if count is not None else None,
            "look_up_self_is_module": fn() is m if fn is not None and call_look_up_self else None,
            "obj_rebound": rebound_now,
            "has_init_interp": "init_interp" in d,
        }
    with open(out, "w") as f:
        f.write(repr(r))
_verify_observe(%(out)r, %(names)r, %(rebound)r, %(call)r)
del _verify_observe
'''


class Child:
    def __init__(self, steps, backend, probe, workdir, embed=False):
        self.steps = steps
        self.backend = backend
        self.probe = probe
        # Running inside the embedding program: the builtin _testbuiltin exists (cache key (name, name)).
        self.builtins = EMBED_BUILTINS if embed else ()
        self.workdir = workdir
        self.api = Interps()
        self.version = sys.version_info[:2]
        # slot -> {"id": the CPython id object (None for main), "real": int id, "mode", "status", "order"}
        self.slots = {0: {"id": None, "real": 0, "mode": "main", "status": "alive", "order": 0}}
        self.created = 0
        self.paths = self.module_paths()
        self.names = sorted(list(self.paths) + list(self.builtins))
        self.outfile = os.path.join(workdir, "out.txt")
        self.info = self.probe_info_function()
        self.core_defs = self.core_def_addresses()
        self.cleared = False  # a clear_extension step ran

    # -- setup --

    def module_paths(self):
        if self.backend == "probe":
            return {n: self.probe for n in PROBE_MODULES}
        import importlib.machinery
        spec = importlib.machinery.PathFinder.find_spec("_testsinglephase")
        if spec is None or not spec.origin:
            raise Unsupported("this CPython ships no _testsinglephase (3.12+ does); use the probe")
        return {n: spec.origin for n in STDLIB_MODULES}

    def probe_info_function(self):
        if self.backend != "probe":
            return None
        import ctypes
        # PyDLL keeps the GIL; dlopen of the same path returns the handle the import system uses.
        f = ctypes.PyDLL(self.probe).verify_probe_info
        f.restype = ctypes.py_object
        f.argtypes = []
        return f

    def core_def_addresses(self):
        import ctypes
        import builtins
        get = ctypes.pythonapi.PyModule_GetDef
        get.restype = ctypes.c_void_p
        get.argtypes = [ctypes.py_object]
        return {"sys": get(sys), "builtins": get(builtins)}

    # -- running code in an interpreter --

    def run(self, slot, code, result=True):
        """Run code in a slot's interpreter; return what it wrote to the out file."""
        if os.path.exists(self.outfile):
            os.remove(self.outfile)
        self.api.run(self.slots[slot]["id"], code)
        if not result:
            return None
        with open(self.outfile) as f:
            return ast.literal_eval(f.read())

    def run_op(self, slot, op, name=None):
        # A builtin's "filename" is its name, as clear_extension and the cache key take it.
        path = (name if name in self.builtins else self.paths.get(name)) if name else None
        return self.run(slot, STEP % {"out": self.outfile, "op": op, "name": name, "path": path, "rebound": REBOUND})

    def alive(self):
        return sorted((s for s, v in self.slots.items() if v["status"] == "alive"), key=lambda s: self.slots[s]["order"])

    # -- the steps --

    def step(self, s):
        op = s["op"]
        i = s.get("I")
        if op == "new_interp":
            ident = self.api.create(s["mode"])
            self.created += 1
            self.slots[i] = {"id": ident, "real": int(ident), "mode": s["mode"], "status": "alive", "order": self.created}
            if s["mode"] == "isolated-override":
                r = self.run_op(i, "override")
                if r["outcome"] != "ok":
                    return r
            self.run(i, PRELUDE % {"paths": self.paths}, result=False)
            return {"outcome": "ok"}
        if op == "end_interp":
            self.api.destroy(self.slots[i]["id"])
            # Drop the id object only after destroy: on 3.10/3.11 its last reference ends the interpreter.
            self.slots[i]["id"] = None
            self.slots[i]["status"] = "ended"
            return {"outcome": "ok"}
        name = s.get("mod")
        if name not in self.paths and name not in self.builtins:
            raise Unsupported("module %r is not provided by the %s backend (it has %s)" % (name, self.backend, ", ".join(self.names)))
        if op == "clear_extension":
            if self.version < (3, 12):
                raise Unsupported("_testinternalcapi.clear_extension exists only in 3.12+")
            self.cleared = True
        return self.run_op(i, op, name)

    def collect(self):
        # The model lets each live interpreter's collector free its unreachable cycles after every step,
        # oldest interpreter first; an explicit collection makes that timing deterministic here.
        for slot in self.alive():
            self.run_op(slot, "collect")

    # -- observing --

    def slot_of(self, real):
        for s, v in self.slots.items():
            if v["real"] == real:
                return s
        return None

    def safe_look_up_self(self):
        # CPython's _testsinglephase.look_up_self returns PyState_FindModule's result without a NULL check,
        # so it segfaults once clear_extension has emptied the slot (3.12) or reset m_index (3.13). The probe checks.
        return self.backend == "probe" or not self.cleared

    def observe(self, result):
        unavailable = {
            "cached": "CPython offers no way to list its extension cache from Python",
        }
        interps = [{"i": s, "status": v["status"], "mode": v["mode"]} for s, v in sorted(self.slots.items())]
        seen = {}
        for slot in self.alive():
            seen[slot] = self.run(slot, OBSERVE % {"out": self.outfile, "names": self.names, "rebound": REBOUND, "call": self.safe_look_up_self()})
        modules = []
        for name in self.names:
            holders = [s for s in sorted(seen) if name in seen[s]["mods"]]
            for s in holders:
                m = seen[s]["mods"][name]
                entry = {"i": s, "mod": name, "init_created": m["init_created"],
                         "look_up_self_is_module": m["look_up_self_is_module"],
                         "obj_rebound": m["obj_rebound"]}
                # CPython's _with_reinit/_with_state have no initialized_count(): left out, never guessed.
                if m["initialized_count"] is not None:
                    entry["initialized_count"] = m["initialized_count"]
                if m["has_init_interp"]:
                    entry["init_interp"] = self.slot_of(m["init_interp"])
                    entry["init_serial"] = m["init_serial"]
                modules.append(entry)
            if self.backend == "stdlib":
                unavailable["modules.init_interp"] = "CPython's _testsinglephase does not record which interpreter ran its init"
                unavailable["modules.init_serial"] = "CPython's _testsinglephase does not number its inits"
                unavailable["modules.obj_rebound"] = "CPython's _testsinglephase has no obj attribute in m_copy"
        sharing = []
        for name in self.names:
            holders = [s for s in sorted(seen) if name in seen[s]["mods"]]
            for a in range(len(holders)):
                for b in range(a + 1, len(holders)):
                    x, y = seen[holders[a]]["mods"][name], seen[holders[b]]["mods"][name]
                    sharing.append({"mod": name, "i": holders[a], "j": holders[b],
                                    "module": x["module_id"] == y["module_id"],
                                    "dict": x["dict_id"] == y["dict_id"],
                                    "values": bool(set(x["values"]) & set(y["values"]))})
        if not self.safe_look_up_self():
            unavailable["modules.look_up_self_is_module"] = (
                "CPython's _testsinglephase.look_up_self dereferences NULL when PyState_FindModule finds nothing, "
                "as after clear_extension: not called")
        defs, why = self.defs(seen)
        unavailable.update(why)
        obs = {"outcome": result["outcome"], "message": result.get("message"), "signal": None,
               "interpreters": interps, "modules": modules, "sharing": sharing, "defs": defs}
        return obs, unavailable

    def defs(self, seen):
        out = []
        why = {}
        if self.info is not None:
            for d in self.info():
                owner = d["m_copy_init_interp"]
                out.append({"def": d["def"], "m_index": d["m_index"], "m_init": d["m_init_set"],
                            "m_copy_set": d["m_copy_set"],
                            "m_copy_refcount": d["m_copy_refcount"] if d["m_copy_set"] else None,
                            # PyDict_Copy runs in the interpreter that ran the init, in every covered
                            # version, so the init_interp value m_copy holds names the dict's owner.
                            "m_copy_owner": self.slot_of(owner) if owner is not None else None})
            if self.builtins:
                import ctypes
                f = ctypes.PyDLL(None).verify_builtin_info
                f.restype = ctypes.py_object
                f.argtypes = []
                for d in f():
                    owner = d["m_copy_init_interp"]
                    out.append({"def": d["def"], "m_index": d["m_index"], "m_init": d["m_init_set"],
                                "m_copy_set": d["m_copy_set"],
                                "m_copy_refcount": d["m_copy_refcount"] if d["m_copy_set"] else None,
                                "m_copy_owner": self.slot_of(owner) if owner is not None else None})
            why["defs"] = "the probe has only the defs %s%s" % (", ".join(PROBE_DEFS), ", _testbuiltin" if self.builtins else
                                                                "; _testbuiltin needs the embedding program")
        else:
            why["defs"] = ("the driver does not read the m_base of CPython's _testsinglephase defs (static, not exported; "
                           "use the probe, whose info() reads them)")
        for name, addr in self.core_defs.items():
            out.append(self.core_def(name, addr, seen))
        return out, why

    def core_def(self, name, addr, seen):
        import ctypes

        class Base(ctypes.Structure):
            # PyModuleDef_Base: PyObject_HEAD, m_init, m_index, m_copy (the same layout in 3.10-3.13 default builds).
            _fields_ = [("ob_refcnt", ctypes.c_ssize_t), ("ob_type", ctypes.c_void_p),
                        ("m_init", ctypes.c_void_p), ("m_index", ctypes.c_ssize_t), ("m_copy", ctypes.c_void_p)]

        base = Base.from_address(addr)
        entry = {"def": name, "m_index": base.m_index, "m_init": bool(base.m_init), "m_copy_set": bool(base.m_copy),
                 "m_copy_refcount": None, "m_copy_owner": None}
        if base.m_copy:
            entry["m_copy_refcount"] = ctypes.c_ssize_t.from_address(base.m_copy).value
            # Which interpreter's sys (builtins) dict was copied: its 'modules' (a function's __self__) tells.
            d = ctypes.cast(base.m_copy, ctypes.py_object).value
            if name == "sys":
                key = id(d.get("modules"))
                match = [s for s in seen if seen[s]["sys_modules_id"] == key]
            else:
                f = d.get("len")
                key = id(getattr(f, "__self__", None))
                match = [s for s in seen if seen[s]["builtins_id"] == key]
            del d
            entry["m_copy_owner"] = match[0] if match else "unknown"
        return entry

    # -- the trace --

    def main(self):
        self.run(0, PRELUDE % {"paths": self.paths}, result=False)
        for k, s in enumerate(self.steps, 1):
            emit({"type": "begin", "step": k, "op": s})
            if s["op"] == "finalize":
                if k != len(self.steps):
                    raise Unsupported("finalize must be the last step")
                emit({"type": "finalizing", "step": k})
                self.end_remaining()
                return
            result = self.step(s)
            if result.get("outcome") == "error":
                raise Unsupported("step %d raised %s" % (k, result.get("message")))
            emit({"type": "phase", "step": k, "phase": "acted"})
            self.collect()
            emit({"type": "phase", "step": k, "phase": "collected"})
            obs, unavailable = self.observe(result)
            emit({"type": "step", "step": k, "observation": obs, "unavailable": unavailable})
        emit({"type": "exiting"})
        self.end_remaining()

    def end_remaining(self):
        """End the subinterpreters still alive at exit, newest first, as the model's Py_Finalize does.

        3.13's Py_Finalize ends them itself, newest first (finalize_subinterpreters), so they are left to it. Before
        3.13 Py_Finalize does not: _xxsubinterpreters ends an interpreter when its last id object dies, so the order
        would be whatever order this driver's own objects happen to die in (the slots dict: oldest first), which is
        no property of CPython. Ending them here, in the model's order, keeps the comparison about CPython.
        """
        if self.api.new_api:
            return
        for slot in reversed(self.alive()):
            if slot != 0:
                self.api.destroy(self.slots[slot]["id"])
                self.slots[slot]["id"] = None
                self.slots[slot]["status"] = "ended"


def child(argv):
    # child TRACE probe|stdlib PROBE|- WORKDIR [embed]: the parent (run) owns WORKDIR and removes it.
    trace, backend = argv[0], argv[1]
    probe = argv[2] if argv[2] != "-" else None
    workdir = argv[3]
    embed = len(argv) > 4 and argv[4] == "embed"
    steps = load_trace(trace)
    try:
        Child(steps, backend, probe, workdir, embed).main()
    except Unsupported as e:
        emit({"type": "unsupported", "reason": str(e)})
        os._exit(3)
    except Exception as e:
        # A failure of the driver itself, not an observation: say so and leave without finalizing.
        import traceback
        emit({"type": "driver_error", "message": "%s: %s" % (type(e).__name__, e), "traceback": traceback.format_exc()})
        os._exit(4)
    # Returning lets the interpreter finalize normally: that is part of what is observed.


# ---- the parent: starts the child and says how it ended ---------------------------------------

def run(argv):
    import argparse
    p = argparse.ArgumentParser(prog="driver.py run")
    p.add_argument("trace")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--probe", help="the probe shared object built for this Python")
    g.add_argument("--stdlib", action="store_true", help="CPython's own _testsinglephase (3.12+)")
    p.add_argument("--embed", help="the embedding program built for this Python (adds the builtin _testbuiltin)")
    p.add_argument("--ignore-sigint", action="store_true",
                   help="ignore SIGINT here and in the child (verify stops a run by killing both)")
    p.add_argument("--workdir", help="an existing folder for the child's scratch files, left in place "
                                     "(default: a new temporary folder, removed when the child has ended)")
    a = p.parse_args(argv)
    if a.ignore_sigint:
        # A Ctrl-C on a terminal reaches every process of the foreground group. Verify answers it by killing this
        # process and its child and reporting the trace as interrupted; were the child to die of the SIGINT first, its
        # end could be read as CPython's behaviour. The child inherits the ignored disposition across exec, and
        # CPython installs its KeyboardInterrupt handler only where SIGINT is not ignored.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    workdir = a.workdir or tempfile.mkdtemp(prefix="verify-conform-")
    try:
        return run_in(a, workdir)
    finally:
        if not a.workdir:
            shutil.rmtree(workdir, ignore_errors=True)


def run_in(a, workdir):
    trace = a.trace
    if trace == "-":
        trace = os.path.join(workdir, "trace.json")
        with open(trace, "w") as f:
            f.write(sys.stdin.read())
    try:
        load_trace(trace)
    except (OSError, ValueError) as e:
        emit({"type": "error", "message": "%s: %s" % (a.trace, e)})
        return 2
    env = None
    exe = sys.executable
    if a.embed:
        # The embedding program is CPython's own main with one more builtin; it finds this Python's stdlib through
        # PYTHONHOME, since it does not live next to it.
        exe = os.path.abspath(a.embed)
        env = dict(os.environ, PYTHONHOME=sys.prefix)
    args = [exe, "-X", "faulthandler", os.path.abspath(__file__), "child", trace,
            "probe" if a.probe else "stdlib", os.path.abspath(a.probe) if a.probe else "-",
            os.path.abspath(workdir)] + (["embed"] if a.embed else [])
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    last_step, where = None, None
    unsupported = False
    for line in proc.stdout:
        sys.stdout.write(line)
        sys.stdout.flush()
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        t = rec.get("type")
        if t == "begin":
            last_step, where = rec["step"], "step"
        elif t == "finalizing":
            where = "finalize_step"
        elif t == "exiting":
            last_step, where = None, "finalization"
        elif t in ("unsupported", "driver_error"):
            unsupported = True
    err = proc.stderr.read()
    rc = proc.wait()
    sig = None
    if rc < 0:
        sig = signal.Signals(-rc).name
    emit({"type": "exit", "returncode": rc, "signal": sig,
          "during": where if (sig or rc != 0) and not unsupported else None,
          "step": last_step if (sig or rc != 0) and not unsupported else None,
          "stderr": "\n".join(err.strip().splitlines()[-15:])})
    return 3 if unsupported else 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        child(sys.argv[2:])
    elif len(sys.argv) > 1 and sys.argv[1] == "run":
        sys.exit(run(sys.argv[2:]))
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)
