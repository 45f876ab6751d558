# A module that keeps a large table alive for as long as it is imported.
TABLE = bytearray(10000)
