#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: orakit contributors
# MIT or Apache-2.0 (see the orakit repository)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: net_entry
short_description: TLS entries in sqlnet.ora, listener.ora or tnsnames.ora, merged losslessly by orakit
description:
  - Puts the TLS (TCPS) parameters orakit generates into an existing Oracle Net file with
    C(orakit net sqlnet|listener|tnsnames --update), which replaces or adds only those
    parameters and keeps everything else byte for byte (comments, other listeners, aliases);
    orakit keeps the previous version as C(FILE.bak). A missing file is created with C(--out).
  - "C(changed) and check mode come from orakit's scripting contract: the command runs first
    with C(--check --json) (nothing written) and only when orakit reports C(changed) is it run
    for real (C(--json)), so an unchanged file keeps its bytes and mtime. Diff mode shows the
    file before and after (the same command run on a private copy of the file)."
version_added: 0.1.0
author:
  - orakit contributors (@orakit)
options:
  path:
    description: The file to manage (for example C($TNS_ADMIN/listener.ora)).
    type: path
    required: true
  kind:
    description: Which file it is.
    type: str
    required: true
    choices: [sqlnet, listener, tnsnames]
  wallet_dir:
    description: The wallet directory (WALLET_LOCATION) - required for sqlnet and listener.
    type: str
  role:
    description: For sqlnet - the server's or a client's entries.
    type: str
    choices: [server, client]
    default: server
  host:
    description: For listener - the address it binds; for tnsnames - the database host.
    type: str
  tcps_port:
    description: The TCPS port.
    type: int
    default: 2484
  tcp_port:
    description: The plain TCP port (listener - omit for a TCPS-only listener; tnsnames - the plain alias's port).
    type: int
  listener_name:
    description: For listener - the listener's name.
    type: str
    default: LISTENER
  alias:
    description: For tnsnames - the plain alias (the TLS alias adds C(_SSL)).
    type: str
  service:
    description: For tnsnames - the service name.
    type: str
  server_dn:
    description: For tnsnames - the server certificate's subject DN, for DN matching.
    type: str
  tls_only:
    description: For tnsnames - write only the TLS alias.
    type: bool
    default: false
  client_auth:
    description: Mutual TLS (SSL_CLIENT_AUTHENTICATION = TRUE) for sqlnet and listener.
    type: bool
    default: false
  target:
    description: Oracle release the parameters are for (SSL_* or TLS_* names, versions, suites).
    type: str
    choices: ['11g', '12c', '19c', '19.30', '23ai']
  key_type:
    description: Key type of the server certificate (picks the ECDHE suites' family).
    type: str
    choices: [rsa2048, rsa3072, rsa4096, p256, p384, p521]
  mode:
    description: Mode of a file the module creates (an existing file keeps its mode).
    type: raw
    default: '0644'
  orakit_bin:
    description: Path of the orakit binary.
    type: path
attributes:
  check_mode:
    description: Reports what would change and writes nothing.
    support: full
  diff_mode:
    description: Shows the state before and after.
    support: full
seealso:
  - module: orakit.tcps.wallet
'''

EXAMPLES = r'''
- name: The TCPS address and wallet in the host's listener.ora (its other entries kept)
  orakit.tcps.net_entry:
    path: "{{ tns_admin }}/listener.ora"
    kind: listener
    host: "{{ ansible_host }}"
    tcps_port: 2484
    tcp_port: 1521
    wallet_dir: /u01/app/oracle/wallet/tls
  notify: Reload the listener

- name: The server's sqlnet.ora TLS parameters
  orakit.tcps.net_entry:
    path: "{{ tns_admin }}/sqlnet.ora"
    kind: sqlnet
    role: server
    wallet_dir: /u01/app/oracle/wallet/tls
'''

RETURN = r'''
backup_file:
  description: Where orakit kept the previous version (C(FILE.bak) or C(FILE.bak.N)).
  returned: when an existing file was changed
  type: str
orakit_changes:
  description: The C(changes) orakit reported (files created or modified).
  returned: always
  type: list
  elements: dict
created:
  description: Whether the file was (would be) created.
  returned: always
  type: bool
'''

import os
import shutil

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_text
from ansible_collections.orakit.tcps.plugins.module_utils.orakit import ORAKIT_COMMON_ARGS, Orakit, Scratch


def generator_args(p):
    kind = p['kind']
    args = ['net', kind]
    need = {'sqlnet': ['wallet_dir'], 'listener': ['wallet_dir', 'host'],
            'tnsnames': ['alias', 'host', 'service']}[kind]
    missing = [n for n in need if not p[n]]
    if missing:
        raise ValueError('kind=%s needs %s' % (kind, ', '.join(missing)))
    if kind == 'sqlnet':
        args += ['--role', p['role'], '--wallet-dir', p['wallet_dir']]
    elif kind == 'listener':
        args += ['--host', p['host'], '--wallet-dir', p['wallet_dir'], '--tcps-port', str(p['tcps_port']),
                 '--listener-name', p['listener_name']]
        args += ['--no-tcp'] if p['tcp_port'] is None else ['--tcp-port', str(p['tcp_port'])]
    else:
        args += ['--alias', p['alias'], '--host', p['host'], '--service', p['service'],
                 '--tcps-port', str(p['tcps_port'])]
        if p['tcp_port'] is not None:
            args += ['--port', str(p['tcp_port'])]
        if p['server_dn']:
            args += ['--server-dn', p['server_dn']]
        if p['tls_only']:
            args.append('--tls-only')
    if kind != 'tnsnames':
        if p['client_auth']:
            args.append('--client-auth')
        if p['key_type']:
            args += ['--key-type', p['key_type']]
    if p['target']:
        args += ['--target', p['target']]
    return args


def read(path):
    with open(path, 'rb') as f:
        return f.read()


def next_backup(path):
    if not os.path.exists(path + '.bak'):
        return path + '.bak'
    n = 1
    while os.path.exists('%s.bak.%d' % (path, n)):
        n += 1
    return '%s.bak.%d' % (path, n)


def main():
    argument_spec = dict(
        path=dict(type='path', required=True),
        kind=dict(type='str', required=True, choices=['sqlnet', 'listener', 'tnsnames']),
        wallet_dir=dict(type='str'),
        role=dict(type='str', default='server', choices=['server', 'client']),
        host=dict(type='str'),
        tcps_port=dict(type='int', default=2484),
        tcp_port=dict(type='int'),
        listener_name=dict(type='str', default='LISTENER'),
        alias=dict(type='str'),
        service=dict(type='str'),
        server_dn=dict(type='str'),
        tls_only=dict(type='bool', default=False),
        client_auth=dict(type='bool', default=False),
        target=dict(type='str', choices=['11g', '12c', '19c', '19.30', '23ai']),
        key_type=dict(type='str', choices=['rsa2048', 'rsa3072', 'rsa4096', 'p256', 'p384', 'p521']),
        mode=dict(type='raw', default='0644'),
    )
    argument_spec.update(ORAKIT_COMMON_ARGS)
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    p = module.params
    path = p['path']
    try:
        args = generator_args(p)
    except ValueError as e:
        module.fail_json(msg=str(e))
    orakit = Orakit(module)
    exists = os.path.exists(path)
    if exists and not os.path.isfile(path):
        module.fail_json(msg='%s is not a regular file' % path)

    # orakit's scripting contract decides: `--check --json` says whether the update (or the
    # new file) would change anything, `--json` on the real run what it changed. The text for
    # diff mode comes from the same command run on a private copy of the file.
    target_args = args + (['--update', path] if exists else ['--out', path]) + ['--json']
    if not exists:
        parent = os.path.dirname(path)
        if parent and not os.path.isdir(parent):
            module.fail_json(msg='%s: its directory %s does not exist' % (path, parent))
    rc, planned = orakit.json(target_args + ['--check'])
    changed = bool(planned.get('changed'))
    result = dict(changed=changed, created=not exists, orakit_changes=planned.get('changes') or [])
    if module._diff and changed:
        with Scratch() as scratch:
            copy = scratch.file(os.path.basename(path))
            if exists:
                shutil.copy2(path, copy)
                orakit.run(args + ['--update', copy])
            else:
                orakit.run(args + ['--out', copy])
            before = read(path) if exists else b''
            result['diff'] = dict(before_header=path, after_header=path,
                                  before=to_text(before), after=to_text(read(copy)))
    if not changed or module.check_mode:
        module.exit_json(**result)

    backup = next_backup(path) if exists else None
    rc, done = orakit.json(target_args)
    result.update(changed=bool(done.get('changed')), orakit_changes=done.get('changes') or [])
    if exists:
        result['backup_file'] = backup if os.path.exists(backup) else None
    else:
        module.set_mode_if_different(path, p['mode'], False)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
