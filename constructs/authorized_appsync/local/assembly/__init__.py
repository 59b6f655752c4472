"""The template read back: the API, its stacks and nested stacks, intrinsics evaluated to
local stand-ins. See ../README.md."""
