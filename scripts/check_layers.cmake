# Run by the build (cmake -P) for each library folder: its sources may include our headers only
# from their own folder and the folders of the libraries it depends on; a pure folder (playlist/)
# may not include SDL or FFmpeg at all. The folder layering of CMakeLists.txt is thereby enforced
# at every build, not only at configure time.
#
#   -DFOLDER=playlist/sync -DALLOWED=playlist/sync,playlist/base,... -DPURE=ON|OFF
#   -DSOURCE_DIR=<repo> -DSTAMP=<file to touch when clean>
cmake_minimum_required(VERSION 3.22)
string(REPLACE "," ";" ALLOWED "${ALLOWED}")
file(GLOB files ${SOURCE_DIR}/${FOLDER}/*.cpp ${SOURCE_DIR}/${FOLDER}/*.h)
set(problems "")
foreach(file ${files})
    file(STRINGS ${file} lines REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<]")
    foreach(line ${lines})
        if(line MATCHES "#[ \t]*include[ \t]*\"((playlist|player)(/[a-z_]+)*)/[^/\"]+\"")
            set(used ${CMAKE_MATCH_1})
            if(NOT used IN_LIST ALLOWED)
                string(APPEND problems "\n  ${file}: includes ${used}/ (${FOLDER}/ may use: ${ALLOWED})")
            endif()
        elseif(PURE AND line MATCHES "#[ \t]*include[ \t]*<(SDL|libav|libsw)")
            string(APPEND problems "\n  ${file}: includes <${CMAKE_MATCH_1}…>, but ${FOLDER}/ is pure C++ (no SDL, no FFmpeg)")
        endif()
    endforeach()
endforeach()
if(problems)
    message(FATAL_ERROR "layering broken:${problems}")
endif()
file(TOUCH ${STAMP})
