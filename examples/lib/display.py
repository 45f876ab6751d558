# A module that pulls in another: `heaptop imports display --path examples/lib` lists it.
import lookup_table

FONT = [bytes(8) for _ in range(32)]
