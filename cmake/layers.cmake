# utxoiq_layer(NAME deps...): one library per directory of src/, built from every .cpp in it; static,
# or shared when UTXOIQ_SHARED_LAYERS is on (sanitizer builds, see CMakeLists.txt).
# Files are globbed so that adding a file needs no CMake edit; CONFIGURE_DEPENDS re-globs on build.
#
# Headers in src/<layer>/internal/ are the layer's own: every build first runs
# check_internal_includes.cmake, which fails when another layer includes one.
add_custom_target(utxoiq_internal_includes
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
          -P ${PROJECT_SOURCE_DIR}/cmake/check_internal_includes.cmake
  COMMENT "Checking that no layer includes another layer's internal headers")

function(utxoiq_layer name)
  file(GLOB sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${name}/*.cpp)
  if(sources)
    if(UTXOIQ_SHARED_LAYERS)
      add_library(utxoiq_${name} SHARED ${sources})
    else()
      add_library(utxoiq_${name} STATIC ${sources})
    endif()
    set(scope PUBLIC)
  else()
    add_library(utxoiq_${name} INTERFACE)
    set(scope INTERFACE)
  endif()
  target_link_libraries(utxoiq_${name} ${scope} ${ARGN})
  target_include_directories(utxoiq_${name} ${scope} ${PROJECT_SOURCE_DIR}/src)
  add_dependencies(utxoiq_${name} utxoiq_internal_includes)
endfunction()
