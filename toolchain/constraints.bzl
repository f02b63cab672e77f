"""The Bazel platform constraints of a Go GOOS and GOARCH.

A Go SDK toolchain targets its SDK's GOOS/GOARCH and runs on the machine
that set it up; these are the @platforms constraint values that say so.
Only the pairs that mean the same in every @platforms release and in Bazel's
own host platform are mapped: a GOARCH such as arm (Bazel's host says arm,
platforms often armv7) or ppc64le (ppc or ppc64le by release) gets no
constraint rather than a wrong one, and loong64 has none to get.
"""

_OS = {
    "android": "android",
    "darwin": "osx",
    "freebsd": "freebsd",
    "ios": "ios",
    "linux": "linux",
    "openbsd": "openbsd",
    "windows": "windows",
}

_CPU = {
    "386": "x86_32",
    "amd64": "x86_64",
    "arm64": "aarch64",
    "riscv64": "riscv64",
    "s390x": "s390x",
}

def go_platform_constraints(goos, goarch):
    """The constraint values of GOOS/GOARCH, as labels absolute across repositories.

    Args:
      goos: a GOOS, e.g. "linux".
      goarch: a GOARCH, e.g. "amd64".

    Returns:
      A list of label strings: the OS's and the CPU's constraint values,
      each only when mapped.
    """
    out = []
    if goos in _OS:
        out.append(str(Label("@platforms//os:" + _OS[goos])))
    if goarch in _CPU:
        out.append(str(Label("@platforms//cpu:" + _CPU[goarch])))
    return out
