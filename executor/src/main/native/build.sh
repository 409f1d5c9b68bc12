#!/bin/sh
# Builds the JNI shim over Open MPI: build.sh <java.home> <output .so>.
# Without mpicc it warns and succeeds, so the rest of the build (and everything but MPI
# stages) still works; MpiNative then reports what to install.
set -eu
java_home=$1
out=$2
src=$(dirname "$0")/dflow_mpi.c
if ! command -v mpicc >/dev/null 2>&1; then
  echo "[WARNING] mpicc not found: the MPI shim is not built and MPI stages will not run" \
       "(Debian: apt-get install openmpi-bin libopenmpi-dev)" >&2
  exit 0
fi
if [ ! -f "$java_home/include/jni.h" ]; then
  echo "[WARNING] no $java_home/include/jni.h (a JRE rather than a JDK?): the MPI shim is not" \
       "built and MPI stages will not run" >&2
  exit 0
fi
if [ -f "$out" ] && [ "$out" -nt "$src" ] && [ "$out" -nt "$0" ]; then
  exit 0
fi
mkdir -p "$(dirname "$out")"
mpicc -shared -fPIC -O2 -Wall -Wextra \
  -I"$java_home/include" -I"$java_home/include/linux" \
  -Wl,-z,noexecstack -o "$out" "$src" -ldl
