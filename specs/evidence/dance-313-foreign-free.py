# Run on real CPython 3.13.0 (2026-11-21): prints "cleared", then glibc aborts with "free(): invalid pointer"
# (exit 134) inside the subinterpreter's import of the alias. This is the 5-step trace `verify check` reports for
# no-foreign-free under cpython-3.13 on the default spec: after clear_extension drops def.m_copy, the alias's cache
# record is still there, so the import does 3.13's "little dance" and deletes the record in the importing
# interpreter, freeing main's cached dict under the subinterpreter's own obmalloc.
# Usage: $(pyenv prefix 3.13.0)/bin/python specs/evidence/dance-313-foreign-free.py
import _interpreters as I, _testinternalcapi, _imp, importlib.util, sys, os
import _testsinglephase
path = _testsinglephase.__file__
def load(name):
    spec = importlib.util.spec_from_file_location(name, path)
    return importlib._bootstrap._load(spec)
sub = I.create('isolated')
# step 2 and 3 in main
load('_testsinglephase_basic_wrapper')
load('_testsinglephase')
code = f"""
import _imp; _imp._override_multi_interp_extensions_check(-1)
import _testinternalcapi, importlib.util, importlib._bootstrap as b, os
_testinternalcapi.clear_extension('_testsinglephase', {path!r})
os.write(1, b'cleared\\n')
spec = importlib.util.spec_from_file_location('_testsinglephase_basic_wrapper', {path!r})
m = b._load(spec)
os.write(1, b'imported wrapper in sub\\n')
"""
I.exec(sub, code)
print("main survived", flush=True)
