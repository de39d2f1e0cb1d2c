"""Stand-in for ansible-test's pip bootstrap script (get-pip-<version>.py) on machines that
reach PyPI but not ci-files.testing.ansible.com, where ansible-test downloads that script.

ansible-test runs it inside a fresh virtual environment made --without-pip, with pip's
options and the pinned packages (pip==24.2) as arguments, exactly as it would run get-pip.py.
This does the same job with what is at hand: the standard library's bundled pip (ensurepip),
then `pip install` of the pinned packages from the configured index.
"""
import ensurepip
import os
import subprocess
import sys

args = [a for a in sys.argv[1:] if a not in ('--no-setuptools', '--no-wheel')]
# Taken before ensurepip, which points PIP_CONFIG_FILE at /dev/null for its own run: the
# install below must see the machine's pip configuration (index, CA bundle) like any pip.
env = dict(os.environ)
ensurepip.bootstrap(upgrade=True, default_pip=True)
sys.exit(subprocess.call([sys.executable, '-m', 'pip', 'install'] + args, env=env))
