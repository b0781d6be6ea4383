/** The part of des.js (https://github.com/indutny/des.js) that appcert uses: 3DES in CBC mode. */
declare module 'des.js' {
  interface Cipher {
    update(data: ArrayLike<number>): number[];
    final(data?: ArrayLike<number>): number[];
  }
  interface CipherOptions {
    type: 'encrypt' | 'decrypt';
    key: ArrayLike<number>;
    iv?: ArrayLike<number>;
    padding?: boolean;
  }
  interface Mode {
    create(options: CipherOptions): Cipher;
  }
  const des: {
    EDE: Mode;
    CBC: { instantiate(base: Mode): Mode };
  };
  export default des;
}
