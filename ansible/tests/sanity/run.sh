#!/usr/bin/env bash
# ansible-test sanity for the orakit.tcps collection, every test ansible-core's ansible-test
# lists for a collection, on the controller's Python 3.11 (--local), with each test's pinned
# requirements installed from PyPI by ansible-test itself (--requirements) into its cached
# virtual environments (~/.ansible/test/venv). Exits non-zero when any test fails.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
ANSIBLE_VENV=${ANSIBLE_VENV:-$ROOT/target/ansible-venv}
export PATH=$ANSIBLE_VENV/bin:$PATH
PY=${SANITY_PYTHON:-3.11}

# ansible-test bootstraps pip in each test's virtual environment with a script it downloads
# from ci-files.testing.ansible.com; where that host is unreachable, use the offline stand-in.
pip_version=$(python -c 'from ansible_test._internal.python_requirements import get_venv_packages as g
class P: version = "'"$PY"'"
print(g(P)["pip"])')
cache=$HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py
standin=$ROOT/ansible/tests/sanity/get_pip_offline.py
if grep -qs "Stand-in for ansible-test's pip bootstrap" "$cache" && ! cmp -s "$standin" "$cache"; then
  cp "$standin" "$cache"   # an older copy of the stand-in
elif [ ! -f "$cache" ] && ! curl -sf -m 10 -o /dev/null "https://ci-files.testing.ansible.com/ansible-test/get-pip-$pip_version.py"; then
  mkdir -p "$(dirname "$cache")"
  cp "$standin" "$cache"
  echo "ansible-test: ci-files.testing.ansible.com unreachable; pip bootstrap from ensurepip ($cache)"
fi

cd "$ROOT/ansible/ansible_collections/orakit/tcps"
echo "ansible-test sanity tests: $(ansible-test sanity --list-tests 2>/dev/null | tr '\n' ' ')"
# All of them; shellcheck and pslint pass without running a tool because the collection
# has no shell or PowerShell files.
ansible-test sanity --local --python "$PY" --requirements --color no "$@"
