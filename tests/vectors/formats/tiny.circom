pragma circom 2.0.0;
// y = x^3 + 5 k with x private and k public: two constraints.
template Tiny() {
    signal input x;
    signal input k;
    signal output y;
    signal x2;
    x2 <== x * x;
    y <== x2 * x + 5 * k;
}
component main {public [k]} = Tiny();
