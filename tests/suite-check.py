#!/usr/bin/env python3
# The checks tests/run-suite.sh runs after each build's tests, so that the suite cannot be green by
# accident:
#   suite-check.py keys  SRCDIR                  every key the tests use is in leak-check-keys.txt
#   suite-check.py leaks SRCDIR DIR...           no key reaches a file the tests wrote
#   suite-check.py skips SRCDIR TESTLOG.json     every skipped test or subtest is allowed, with a reason
# Each prints what it found and exits 1 on a problem. Python because meson, which the suite needs
# anyway, is Python: nothing more to install.

import json
import os
import re
import sys

KEYS_FILE = 'tests/leak-check-keys.txt'
SKIPS_FILE = 'tests/allowed-skips.txt'

# Values shorter than this are not keys worth looking for: a one-letter placeholder such as "K"
# (tests/test-market-cache.c) matches everywhere. The log writer ignores them for the same reason
# (sextant_log_writer_register_secret () skips values under 4 characters).
MIN_KEY_LENGTH = 4

# Where the tests hand a key or token to Sextant. A string literal found here must be listed in
# KEYS_FILE; the patterns read tests/*.c and tests/*.h. Access key ids are names, not secrets
# (AWS prints them in errors), so they are not looked for.
SOURCE_PATTERNS = [
    r'#define\s+\w*(?:SECRET|TOKEN|KEY)\w*\s+"([^"]+)"',
    r'g_setenv\s*\(\s*"(?:AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AWS_BEARER_TOKEN_BEDROCK|SEXTANT_\w+_KEY)"\s*,\s*"([^"]+)"',
    r'g_environ_setenv\s*\([^,]+,\s*"SEXTANT_\w+_KEY"\s*,\s*"([^"]+)"',
    r'"api-key"\s*,\s*"([^"]+)"',
    r'_save_sync\s*\([^,]+,\s*SEXTANT_SECRET_(?!AWS_ACCESS_KEY_ID)\w+\s*,\s*"([^"]+)"',
    r'register_secret\s*\(\s*"([^"]+)"',
    r'set_bearer_key\s*\([^,]+,\s*"([^"]+)"',
    r'bearer_auth_apply\s*\([^,]+,\s*"([^"]+)"',
    r'aws_(?:secret_access_key|session_token)\s*=\s*(\w+)',
    r'HookData\s+\w+\s*=\s*\{\s*"([^"]+)"',
    r'(?:secret|token|key)\s*=\s*"([^"]+)"\s*;',
]
STATIC_CREDENTIALS = re.compile(r'credentials_new_static\s*\(([^;]*)\)\s*;')


def read_list(path):
    """Lines of a list file without comments: (first word, rest of the line)."""
    entries = []
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            parts = line.split(None, 1)
            entries.append((number, parts[0], parts[1] if len(parts) > 1 else ''))
    return entries


def read_keys(srcdir):
    return [key for _, key, _ in read_list(os.path.join(srcdir, KEYS_FILE))]


def test_sources(srcdir):
    tests = os.path.join(srcdir, 'tests')
    for name in sorted(os.listdir(tests)):
        if name.endswith('.c') or name.endswith('.h'):
            with open(os.path.join(tests, name), encoding='utf-8') as f:
                yield name, f.read()


def source_keys(text):
    found = set()
    for pattern in SOURCE_PATTERNS:
        found.update(re.findall(pattern, text))
    for args in STATIC_CREDENTIALS.findall(text):
        # (access key id, secret access key, session token, bearer token)
        found.update(re.findall(r'"([^"]+)"', args.split(',', 1)[-1]))
    return {k for k in found if len(k) >= MIN_KEY_LENGTH}


def check_keys(srcdir):
    listed = read_keys(srcdir)
    sources = dict(test_sources(srcdir))
    everything = '\n'.join(sources.values())
    problems = 0

    for name, text in sources.items():
        for key in sorted(source_keys(text) - set(listed)):
            print(f'UNLISTED KEY: {name} uses "{key}", which {KEYS_FILE} does not list')
            problems += 1
    for key in listed:
        if len(key) < MIN_KEY_LENGTH:
            print(f'KEY TOO SHORT: "{key}" in {KEYS_FILE} would match anywhere')
            problems += 1
        elif key not in everything and key.replace('/', '\\/') not in everything:
            print(f'STALE KEY: "{key}" in {KEYS_FILE} is in no tests/*.c or tests/*.h')
            problems += 1
    print(f'keys: {len(listed)} listed, every key in tests/*.c and tests/*.h among them'
          if problems == 0 else f'keys: {problems} problem(s)')
    return problems


def percent_encode(key, lower):
    out = []
    for c in key:
        if c.isalnum() or c in '-_.~':
            out.append(c)
        else:
            out.append(('%%%02x' if lower else '%%%02X') % ord(c))
    return ''.join(out)


def json_escape(key):
    return ''.join('\\' + c if c in '/"\\' else c for c in key)


def spellings(key):
    """The raw key, percent-encoded (upper and lower case hex) and JSON-escaped."""
    forms = {'raw': key, 'url': percent_encode(key, False), 'url-lower': percent_encode(key, True),
             'json': json_escape(key)}
    seen = {}
    for name, form in forms.items():
        seen.setdefault(form, name)
    return [(name, form.encode()) for form, name in seen.items()]


# Inputs, not leaks: a test that must hand Sextant a file holding a key (an AWS shared credentials
# file, say) writes it under a folder of this name (tests/test-credentials.c), and that file holds
# the key because the test put it there. Nothing Sextant writes goes there. The SigV4 vectors in
# tests/data hold AWS's example key for the same reason; they are read in place and never scanned.
INPUT_FOLDER = 'test-inputs'


def check_leaks(srcdir, dirs):
    keys = read_keys(srcdir)
    forms = [(key, name, form) for key in keys for name, form in spellings(key)]
    n_files = 0
    leaks = 0

    for top in dirs:
        if not os.path.exists(top):
            continue
        paths = [top] if os.path.isfile(top) else (
            os.path.join(root, name)
            for root, subdirs, names in os.walk(top)
            if INPUT_FOLDER not in root.split(os.sep)
            for name in names)
        for path in paths:
            if not os.path.isfile(path) or os.path.islink(path):
                continue            # sockets of the keyring and the bus, links
            try:
                with open(path, 'rb') as f:
                    data = f.read()
            except OSError:
                continue
            n_files += 1
            for key, name, form in forms:
                if form in data:
                    print(f'SECRET LEAK: {path} holds the test key "{key}" ({name})')
                    leaks += 1

    print(f'secret leaks: {len(keys)} keys in {len(forms)} spellings, {n_files} files scanned'
          f' in {" ".join(dirs)}: {leaks} found')
    if n_files == 0:
        print('SECRET LEAK CHECK: no file was scanned; the check would pass by accident')
        return 1
    return leaks


TAP_SKIP = re.compile(r'^(?:not )?ok\s+\d+\s+(\S+)?.*?#\s*(SKIP|TODO)\b\s*(.*)$', re.IGNORECASE)
TAP_PLAN_SKIP = re.compile(r'^1\.\.0\s*#\s*SKIP\b\s*(.*)$', re.IGNORECASE)


def skips_in_testlog(path):
    """(test, subtest path or '*', reason) for every skip meson recorded."""
    found = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            if not line.strip():
                continue
            entry = json.loads(line)
            test = entry['name'].split(' / ')[-1]
            if entry.get('result') == 'SKIP':
                found.append((test, '*', 'the whole test skipped'))
            for out in (entry.get('stdout') or '').splitlines():
                m = TAP_SKIP.match(out.strip())
                if m:
                    found.append((test, m.group(1) or '?', f'{m.group(2).upper()} {m.group(3)}'))
                m = TAP_PLAN_SKIP.match(out.strip())
                if m:
                    found.append((test, '*', m.group(1)))
    return found


def check_skips(srcdir, testlog):
    allowed = {}
    problems = 0

    for number, test, rest in read_list(os.path.join(srcdir, SKIPS_FILE)):
        parts = rest.split(None, 1)
        if len(parts) < 2:
            print(f'{SKIPS_FILE}:{number}: give the test, the subtest path (or *) and a reason')
            problems += 1
            continue
        allowed[(test, parts[0])] = [parts[1], 0]

    if not os.path.exists(testlog):
        print(f'SKIP CHECK: {testlog} is missing; nothing ran')
        return problems + 1
    for test, subtest, reason in skips_in_testlog(testlog):
        entry = allowed.get((test, subtest)) or allowed.get((test, '*'))
        if entry is not None:
            entry[1] += 1
        else:
            print(f'UNLISTED SKIP: {test} {subtest} ({reason.strip()}); fix it or list it in {SKIPS_FILE}')
            problems += 1

    print(f'allowed skips ({SKIPS_FILE}): {len(allowed)}')
    for (test, subtest), (reason, count) in sorted(allowed.items()):
        print(f'  {test} {subtest}: {reason} [skipped {count} time(s) in this build]')
    return problems


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__ or 'usage: suite-check.py keys|leaks|skips SRCDIR ...')
    command, srcdir, rest = argv[1], argv[2], argv[3:]
    if command == 'keys':
        problems = check_keys(srcdir)
    elif command == 'leaks':
        problems = check_leaks(srcdir, rest)
    elif command == 'skips':
        problems = check_skips(srcdir, rest[0])
    else:
        sys.exit(f'unknown check {command}')
    # The exit status is the number of problems (capped), so that run-suite.sh can count them.
    sys.exit(min(problems, 100))


if __name__ == '__main__':
    main(sys.argv)
