import os

# Headless Qt for every test, whoever runs pytest.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
