# Catalog.cmake - embed the IAM action catalog (data/catalog/catalog.txt) into
# the build as a C byte array, so pdtc works offline.  include() it from the
# root CMakeLists.txt after project(); it defines
#   PDT_CATALOG_DATA_C   the generated .c file (symbols catalog_data and
#                        catalog_data_len, used by src/catalog.c)
#   PDT_CATALOG_SRC      the same, as the list of extra sources to add to the
#                        pdtcore library (src/catalog.c etc. come from the
#                        src/*.c glob of the root CMakeLists.txt)
# A tiny host tool (cmake/catalog_embed.c) does the conversion: no xxd needed.
# The file is regenerated whenever catalog.txt changes (scripts/gen-catalog).

set(PDT_CATALOG_TXT "${CMAKE_CURRENT_LIST_DIR}/../data/catalog/catalog.txt")
get_filename_component(PDT_CATALOG_TXT "${PDT_CATALOG_TXT}" ABSOLUTE)
set(PDT_CATALOG_DATA_C "${CMAKE_CURRENT_BINARY_DIR}/catalog_data.c")

add_executable(pdt_catalog_embed "${CMAKE_CURRENT_LIST_DIR}/catalog_embed.c")
add_custom_command(
    OUTPUT "${PDT_CATALOG_DATA_C}"
    COMMAND pdt_catalog_embed "${PDT_CATALOG_TXT}" "${PDT_CATALOG_DATA_C}" catalog_data
    DEPENDS pdt_catalog_embed "${PDT_CATALOG_TXT}"
    COMMENT "Embedding the IAM action catalog"
    VERBATIM)
# The generated array is data; don't spend optimizer or sanitizer time on it.
set_source_files_properties("${PDT_CATALOG_DATA_C}" PROPERTIES
    GENERATED TRUE
    COMPILE_OPTIONS "-O0;-fno-sanitize=all")

set(PDT_CATALOG_SRC "${PDT_CATALOG_DATA_C}")
