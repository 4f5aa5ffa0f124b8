"""Re-fetch the vendored Decap CMS bundle from the npm registry (`make decap`, docs/cms.md).

    python tools/fetch_decap.py [VERSION]      # default: the version in generator/cms/vendor/decap.json

Runs `npm pack decap-cms@VERSION` in a temporary folder, keeps only what the browser loads
(`dist/decap-cms.js`, its lazy chunks `N.decap-cms.js`, the WebAssembly files and the licence
notices; no source maps, no duplicate `cms.js` build) and records the version, the tarball's
sha256 and every file's sha256 in decap.json, which `catalog cms` checks before copying.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VENDOR = Path(__file__).resolve().parent.parent / "generator" / "cms" / "vendor"
KEEP = re.compile(r"(decap-cms\.js|\d+\.decap-cms\.js|[0-9a-f]+\.wasm|decap-cms\.js\.LICENSE\.txt)")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def main(version: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", f"decap-cms@{version}"], cwd=tmp, check=True)
        (tarball,) = Path(tmp).glob("decap-cms-*.tgz")
        exact = tarball.name.removeprefix("decap-cms-").removesuffix(".tgz")
        with tarfile.open(tarball) as archive:
            archive.extractall(tmp, filter="data")
        dist = Path(tmp) / "package" / "dist"
        target = VENDOR / "decap-cms"
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        files = {}
        for path in sorted(dist.iterdir()):
            if KEEP.fullmatch(path.name):
                shutil.copyfile(path, target / path.name)
                files[path.name] = sha256(path.read_bytes())
        record = {
            "package": "decap-cms",
            "version": exact,
            "license": "MIT",
            "tarball_sha256": sha256(tarball.read_bytes()),
            "files": files,
        }
        (VENDOR / "decap.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        size = sum((target / name).stat().st_size for name in files)
        print(f"decap-cms {exact}: {len(files)} files, {size / 1e6:.1f} MB in {target}")


if __name__ == "__main__":
    current = VENDOR / "decap.json"
    default = json.loads(current.read_text())["version"] if current.is_file() else "3.16"
    main(sys.argv[1] if len(sys.argv) > 1 else default)
