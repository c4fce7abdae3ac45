"""Build hook: ship processes/ (kept at the top of the repository for analysts) as ``rcp_processes``.

Everything else is in pyproject.toml. pyproject's ``packages.find`` cannot add a package that lives
in a folder of another name, so the package list is made here.
"""

from setuptools import find_namespace_packages, setup

setup(
    packages=[
        *find_namespace_packages(include=["service", "service.*", "handlers", "handlers.*"]),
        "rcp_processes",
        "rcp_processes.forms",
    ],
    package_dir={"rcp_processes": "processes"},
)
