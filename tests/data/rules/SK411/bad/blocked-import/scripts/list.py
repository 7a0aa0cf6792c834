import random
from datetime import datetime
import time as clock


def stamp():
    return datetime.now(), random.random(), clock.time()
