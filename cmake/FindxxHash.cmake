# Finds the xxHash library (Debian: libxxhash-dev) and provides the imported
# target xxHash::xxhash, the name xxHash's own CMake package exports. Debian
# ships no CMake package for it, only a header and a library, so this module
# looks for those when no xxHash package config is installed. Installed with
# prefline's package config, which uses it the same way.
#
# Result: xxHash_FOUND, target xxHash::xxhash (include directory + library).
include(FindPackageHandleStandardArgs)

find_package(xxHash CONFIG QUIET)
if(xxHash_FOUND AND TARGET xxHash::xxhash)
  find_package_handle_standard_args(xxHash CONFIG_MODE)
  return()
endif()

find_path(xxHash_INCLUDE_DIR xxhash.h)
find_library(xxHash_LIBRARY NAMES xxhash)
find_package_handle_standard_args(xxHash REQUIRED_VARS xxHash_LIBRARY xxHash_INCLUDE_DIR)
mark_as_advanced(xxHash_INCLUDE_DIR xxHash_LIBRARY)

if(xxHash_FOUND AND NOT TARGET xxHash::xxhash)
  add_library(xxHash::xxhash UNKNOWN IMPORTED)
  set_target_properties(xxHash::xxhash PROPERTIES IMPORTED_LOCATION "${xxHash_LIBRARY}"
                                                  INTERFACE_INCLUDE_DIRECTORIES "${xxHash_INCLUDE_DIR}")
endif()
