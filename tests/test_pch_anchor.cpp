// Anchor of the precompiled test header (tests/test_pch.hpp); compiles nothing else.
