"""The toolchain that compiled the kernels, for tests that pin exact float32 results.

How LLVM vectorises a sum (its lanes and partial sums) depends on its version and on the
CPU it compiles for, so bit-exact pins hold for one ``(LLVM major version, LLVM's name of
the host CPU)`` pair; the tests that pin bits key their values by it.
"""

from llvmlite.binding import get_host_cpu_name, llvm_version_info

TOOLCHAIN = (llvm_version_info[0], get_host_cpu_name())
