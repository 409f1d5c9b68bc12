# Sourced by bench scripts: writes a copy of bin/dflow that never rebuilds, so a tree being edited
# is never rebuilt under timed runs, while the JVM options and the class-data archive stay
# bin/dflow's own.
#
# write_no_build_launcher ROOT OUT WHO: ROOT the checkout (DFLOW_HOME), OUT the file to write,
# WHO the script named in the copy's comment. Fails (status 1) when the jars are not built or
# bin/dflow no longer has the DFLOW_HOME= and 'if needs_build; then' lines this relies on.
write_no_build_launcher() {
  local root=$1 out=$2 who=$3
  compgen -G "$root/driver/target/lib/dflow-driver*.jar" >/dev/null && [[ -f $root/examples/target/dflow-examples.jar ]] \
    || { echo "no built jars (driver/target/lib, examples/target/dflow-examples.jar); build first" >&2; return 1; }
  awk -v home="$root" -v who="$who" '
    /^DFLOW_HOME=/ { print "DFLOW_HOME=\"" home "\""; h++; next }
    /^if needs_build; then$/ { print "if false; then  # " who ": never rebuild"; b++; next }
    { print }
    END { if (h != 1 || b != 1) exit 1 }' "$root/bin/dflow" >"$out" \
    || { echo "bin/dflow no longer has the DFLOW_HOME= and 'if needs_build; then' lines this relies on" >&2; return 1; }
}
