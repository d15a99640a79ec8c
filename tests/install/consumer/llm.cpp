// Links through prefline::llm: libcurl's headers and library come with it.
#include <cstdio>
#include <cstring>

#include <curl/curl.h>

int main() {
  const char* version = curl_version();
  std::printf("%s\n", std::strncmp(version, "libcurl/", 8) == 0 ? "libcurl linked" : version);
  return 0;
}
