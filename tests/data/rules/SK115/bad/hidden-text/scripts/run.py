access = "user"  # ⁦admin⁩ only
print(access)
