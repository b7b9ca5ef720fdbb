"""A throwaway Dovecot IMAP server for the tests: its own configuration in a temporary
folder (a passwd-file user, a maildir, a self-signed certificate made here), listening on
free loopback ports, started as a subprocess (`dovecot -F -c CONF`) and stopped after."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

USER = "anna"
PASSWORD = "s3cret-пароль"  # non-ASCII: AUTHENTICATE PLAIN carries UTF-8
USERS = 300


def dovecot_binary() -> str | None:
    found = shutil.which("dovecot") or ("/usr/sbin/dovecot"
                                        if os.path.exists("/usr/sbin/dovecot") else None)
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost (openssl req)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True)
    return cert, key


@dataclass
class Dovecot:
    folder: Path
    imap_port: int
    imaps_port: int
    cert: Path
    process: subprocess.Popen[bytes] | None = None

    def log(self) -> str:
        path = self.folder / "dovecot.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(10)
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait(5)
        shutil.rmtree(self.folder, ignore_errors=True)

    def start(self) -> None:
        binary = dovecot_binary()
        assert binary is not None
        self.process = subprocess.Popen(
            [binary, "-F", "-c", str(self.folder / "dovecot.conf")],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("dovecot ended: " + (self.process.stderr.read().decode()
                                                        if self.process.stderr else "")
                                   + self.log())
            try:
                with socket.create_connection(("127.0.0.1", self.imap_port), timeout=1) as s:
                    if s.recv(100).startswith(b"* OK"):
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("dovecot did not start: " + self.log())


def configure(folder: Path) -> Dovecot:
    """Write the configuration, the user and the certificate into `folder`."""
    folder.chmod(0o755)
    cert, key = make_certificate(folder)
    root = os.geteuid() == 0
    me = pwd.getpwuid(os.geteuid()).pw_name
    # As root, mail is accessed as the `dovecot` user the package creates (Dovecot refuses
    # root for mail); otherwise everything runs as the current user.
    mail_user = pwd.getpwnam("dovecot") if root else pwd.getpwuid(os.geteuid())
    home = folder / "home"
    home.mkdir()
    os.chown(home, mail_user.pw_uid, mail_user.pw_gid)
    # The users the tests hand out, one per test (Dovecot reads passwd-file again only when
    # its mtime changes, in whole seconds: users added later could go unseen).
    users = [USER] + [f"user{number}" for number in range(1, USERS + 1)]
    (folder / "passwd").write_text("".join(f"{user}:{{PLAIN}}{PASSWORD}::::::\n"
                                           for user in users), encoding="utf-8")
    imap_port, imaps_port = free_port(), free_port()
    internal = "dovecot" if root else me
    login_user = "dovenull" if root else me
    chroot = "" if not root else "login"
    (folder / "dovecot.conf").write_text(f"""
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = {internal}
default_login_user = {login_user}
first_valid_uid = {mail_user.pw_uid}
last_valid_uid = {mail_user.pw_uid}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user.pw_uid} gid={mail_user.pw_gid} home={home}/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  chroot = {chroot}
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  chroot =
}}
""", encoding="utf-8")
    return Dovecot(folder, imap_port, imaps_port, cert)


def new_server() -> Dovecot:
    folder = Path(tempfile.mkdtemp(prefix="crm-mail-dovecot-"))
    server = configure(folder)
    server.start()
    return server
