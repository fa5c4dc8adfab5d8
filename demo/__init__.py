"""The demo and the synthetic province: data to show and to measure the portal with, never to run it.

``demo.building.build_demo()`` (``manage.py load_demo``) builds today's Vĩnh Long with former Bến
Tre as history: the ground's part (``demo.ground``: units, teams, people, one login per role, the
reference data), then each installed app's ``<app>/demo/`` part. ``demo.synthetic.generate()``
(``manage.py generate_data``) builds a synthetic province the size of a real one, with each app's
``<app>/demo/synthetic.py`` part. Both refuse to write outside a demo or test database.

The runtime code never imports this package (the import contract in pyproject.toml); each app's
part of the demo is found by module name through ``portal.plugins``.
"""
