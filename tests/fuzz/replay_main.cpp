// Replays a fuzz target's corpus, then deterministic mutations of each input (bit flips,
// truncations, byte insertions), so every test run exercises the parser with hostile input even
// where libFuzzer is not built. A crash or sanitizer report fails the test.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

static void run(const std::vector<uint8_t>& bytes)
{
    LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
}

int main(int argc, char** argv)
{
    std::vector<std::vector<uint8_t>> inputs;
    for (int i = 1; i < argc; ++i) {
        std::filesystem::path root(argv[i]);
        if (!std::filesystem::exists(root)) {
            std::fprintf(stderr, "%s: corpus folder missing\n", argv[i]);
            return 1;
        }
        for (auto& entry : std::filesystem::recursive_directory_iterator(root)) {
            if (!entry.is_regular_file())
                continue;
            std::ifstream in(entry.path(), std::ios::binary);
            inputs.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        }
    }
    if (inputs.empty()) {
        std::fprintf(stderr, "no corpus inputs\n");
        return 1;
    }
    std::mt19937 rng(12345);
    size_t runs = 0;
    for (auto& input : inputs) {
        run(input);
        ++runs;
        for (int round = 0; round < 300; ++round) {
            std::vector<uint8_t> mutated = input;
            int edits = 1 + static_cast<int>(rng() % 4);
            for (int e = 0; e < edits; ++e) {
                switch (rng() % 4) {
                case 0:
                    if (!mutated.empty())
                        mutated[rng() % mutated.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
                    break;
                case 1:
                    if (!mutated.empty())
                        mutated.resize(rng() % mutated.size());
                    break;
                case 2:
                    mutated.insert(mutated.begin() + static_cast<long>(mutated.empty() ? 0 : rng() % mutated.size()),
                                   static_cast<uint8_t>(rng()));
                    break;
                case 3:
                    if (!mutated.empty())
                        mutated[rng() % mutated.size()] = static_cast<uint8_t>(rng() % 2 ? 0xFF : 0x00);
                    break;
                }
            }
            run(mutated);
            ++runs;
        }
    }
    std::printf("replayed %zu inputs (%zu corpus files)\n", runs, inputs.size());
    return 0;
}
